// Drives create, modify, retrieve, list, delete and a 404 through Node's openai SDK.
// Usage: node assistants_crud.mjs BASE_URL   (prints one JSON object on stdout)
import OpenAI, { NotFoundError } from "openai";

const [baseURL] = process.argv.slice(2);
const client = new OpenAI({ apiKey: "sk-test-assistants-fake", baseURL, maxRetries: 0 });
const assistants = client.beta.assistants;

const created = await assistants.create({
  model: "gpt-4o",
  name: "node client",
  metadata: { runtime: "node" },
  tools: [{ type: "code_interpreter" }],
});
const modified = await assistants.update(created.id, { name: "node client, renamed", temperature: 0.25 });
const retrieved = await assistants.retrieve(created.id);
const page = await assistants.list({ limit: 5, order: "asc" });
const deleted = await assistants.delete(created.id);

let error = null;
try {
  await assistants.retrieve(created.id);
} catch (caught) {
  if (!(caught instanceof NotFoundError)) throw caught;
  error = { status: caught.status, body: caught.error, requestID: caught.requestID };
}

console.log(JSON.stringify({ created, modified, retrieved, listed: page.data, deleted, error }));

// Run one call of Continue's @continuedev/openai-adapters (as Continue's core builds it) and
// print {ok, text, error} as JSON. Input (argv[2], JSON): {provider, apiKey, apiBase, call, model}.
import { constructLlmApi } from "@continuedev/openai-adapters";

const spec = JSON.parse(process.argv[2]);
const api = constructLlmApi({ provider: spec.provider, apiKey: spec.apiKey, apiBase: spec.apiBase });
const messages = [{ role: "system", content: "be brief" }, { role: "user", content: "say hi" }];
const signal = AbortSignal.timeout(20000);
let text = "";
try {
  if (spec.call === "chatStream") {
    for await (const c of api.chatCompletionStream({ model: spec.model, messages, stream: true }, signal)) {
      text += c.choices[0]?.delta?.content ?? "";
    }
  } else if (spec.call === "chat") {
    const r = await api.chatCompletionNonStream({ model: spec.model, messages, stream: false }, signal);
    text = r.choices[0]?.message?.content ?? "";
  } else if (spec.call === "responses") {
    for await (const c of api.responsesStream({ model: spec.model, messages, stream: true }, signal)) {
      text += c.choices?.[0]?.delta?.content ?? "";
    }
  } else if (spec.call === "fim") {
    for await (const c of api.fimStream({ model: spec.model, prompt: "def add(a, b):\n    ", suffix: "\n",
      max_tokens: 64, temperature: 0.01, stop: ["[PREFIX]", "[SUFFIX]"], stream: true }, signal)) {
      text += c.choices[0]?.delta?.content ?? "";
    }
  }
  console.log(JSON.stringify({ ok: true, text }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, text, error: String(e?.message ?? e).slice(0, 300) }));
}

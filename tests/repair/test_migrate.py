"""The config.json -> config.yaml field mapping (``convert``) and default detection."""

from __future__ import annotations

from typing import Any

from continue_setup.config.convert import convert
from continue_setup.repair.migrate import is_untouched_default

BASE = "https://api.langdock.com"


def model(title: str | None = "GPT", **fields: Any) -> dict[str, Any]:
    entry = {"provider": "openai", "model": "gpt-5.2", "apiBase": f"{BASE}/openai/eu/v1",
             **fields}
    if title is not None:
        entry["title"] = title
    return entry


def test_header_is_what_continue_requires() -> None:
    """The result starts with name, version and schema, which Continue's YAML loader needs."""
    data = convert({"models": []}).data
    assert list(data)[:3] == ["name", "version", "schema"]
    assert data["models"] == []


def test_identical_chat_and_autocomplete_entries_become_one_model() -> None:
    """A tabAutocompleteModel equal to a chat model adds the autocomplete role to it."""
    entry = model("Codestral", provider="mistral", model="codestral-2501")
    data = convert({"models": [entry], "tabAutocompleteModel": dict(entry)}).data
    assert len(data["models"]) == 1
    assert data["models"][0]["roles"] == ["chat", "edit", "apply", "autocomplete"]


def test_autocomplete_with_a_taken_name_is_renamed() -> None:
    """An autocomplete entry whose title a different chat model uses gets a distinct name."""
    data = convert({"models": [model("X")],
                    "tabAutocompleteModel": model("X", model="codestral-2501")}).data
    assert [m["name"] for m in data["models"]] == ["X", "X (autocomplete)"]


def test_untitled_autocomplete_gets_a_name_and_a_warning() -> None:
    """A tabAutocompleteModel without title is named, and the conversion says so."""
    result = convert({"models": [], "tabAutocompleteModel": [model(None)]})
    assert result.data["models"][0]["name"] == "Autocomplete"
    assert any("/tabAutocompleteModel/0" in w for w in result.warnings)


def test_model_roles_pick_the_edit_and_apply_models() -> None:
    """experimental.modelRoles gives edit and apply to the named models only."""
    data = convert({"models": [model("A"), model("B")],
                    "experimental": {"modelRoles": {"inlineEdit": "B",
                                                    "applyCodeBlock": "A"}}}).data
    assert [m["roles"] for m in data["models"]] == [["chat", "apply"], ["chat", "edit"]]


def test_embeddings_and_reranker_become_models_with_their_roles() -> None:
    """embeddingsProvider and reranker become models with roles embed and rerank."""
    result = convert({"models": [],
                      "embeddingsProvider": {"provider": "openai", "model": "text-embedding-3",
                                             "maxEmbeddingChunkSize": 512},
                      "reranker": {"name": "cohere", "params": {"model": "rerank-3",
                                                               "apiKey": "k-123456",
                                                               "truncate": True}}})
    embed, rerank = result.data["models"]
    assert embed["name"] == "Embeddings Model" and embed["roles"] == ["embed"]
    assert embed["embedOptions"] == {"maxChunkSize": 512}
    assert rerank == {"name": "Reranker", "provider": "cohere", "model": "rerank-3",
                      "apiKey": "k-123456", "roles": ["rerank"]}
    assert [d.pointer for d in result.dropped] == ["/reranker/params/truncate"]


def test_model_fields_without_yaml_home_are_dropped_with_pointers() -> None:
    """Model keys config.yaml lacks (template, apiType) are reported, not silently lost."""
    result = convert({"models": [model(template="llama2", apiType="azure",
                                       systemMessage="Be kind.")]})
    assert {d.pointer for d in result.dropped} == {"/models/0/template", "/models/0/apiType"}
    assert result.data["models"][0]["chatOptions"] == {"baseSystemMessage": "Be kind."}


def test_dotenv_storage_skips_placeholders_and_numbers_collisions() -> None:
    """Placeholders stay inline; two different non-Langdock keys get NAME and NAME_2."""
    result = convert({"models": [
        model("A", apiKey="<YOUR_LANGDOCK_API_KEY>"),
        {"title": "B", "provider": "groq", "model": "m", "apiKey": "gsk-aaaa1111"},
        {"title": "C", "provider": "groq", "model": "m", "apiKey": "gsk-bbbb2222"},
    ]}, key_storage="dotenv")
    keys = [m.get("apiKey") for m in result.data["models"]]
    assert keys == ["<YOUR_LANGDOCK_API_KEY>", "${{ secrets.GROQ_API_KEY }}",
                    "${{ secrets.GROQ_API_KEY_2 }}"]
    assert result.secrets == {"GROQ_API_KEY": "gsk-aaaa1111", "GROQ_API_KEY_2": "gsk-bbbb2222"}


def test_dotenv_storage_reuses_a_name_that_already_holds_the_same_key() -> None:
    """An existing .env entry with the same key is reused, a different one is not overwritten."""
    same = convert({"models": [model(apiKey="sk-ld-same-1234")]}, key_storage="dotenv",
                   existing_env={"LANGDOCK_API_KEY": "sk-ld-same-1234"})
    other = convert({"models": [model(apiKey="sk-ld-new-5678")]}, key_storage="dotenv",
                    existing_env={"LANGDOCK_API_KEY": "sk-ld-old-0000"})
    assert same.data["models"][0]["apiKey"] == "${{ secrets.LANGDOCK_API_KEY }}"
    assert other.data["models"][0]["apiKey"] == "${{ secrets.LANGDOCK_API_KEY_2 }}"
    assert other.secrets == {"LANGDOCK_API_KEY_2": "sk-ld-new-5678"}


def test_mcp_servers_keep_non_stdio_transports() -> None:
    """An SSE MCP server keeps its type and url."""
    data = convert({"models": [], "experimental": {"modelContextProtocolServers": [
        {"name": "remote", "transport": {"type": "sse", "url": "https://mcp.example/sse"}}]}}).data
    assert data["mcpServers"] == [{"name": "remote", "type": "sse",
                                   "url": "https://mcp.example/sse"}]


def test_untouched_default_is_recognised_and_real_configs_are_not() -> None:
    """Only a config.yaml with no models and nothing else counts as Continue's default."""
    assert is_untouched_default({"name": "Main Config", "version": "1.0.0", "schema": "v1",
                                 "models": []})
    assert not is_untouched_default({"name": "x", "version": "1", "models": [{"name": "a"}]})
    assert not is_untouched_default({"name": "x", "version": "1", "models": [],
                                     "context": [{"provider": "code"}]})
    assert not is_untouched_default(None)


def test_entries_that_are_not_objects_are_reported_not_fatal() -> None:
    """A null or a string where a model should be is reported as dropped, and the rest converts."""
    result = convert({"models": ["oops", model()], "tabAutocompleteModel": [None]})
    assert {d.pointer for d in result.dropped} >= {"/models/0", "/tabAutocompleteModel/0"}
    assert [m["name"] for m in result.data["models"]] == ["GPT"]

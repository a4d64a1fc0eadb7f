"""Render the template list and one rendered template."""

from __future__ import annotations

from continue_setup.report import Output
from continue_setup.setup.templates import Rendered, Template


def render_list(out: Output, templates: dict[str, Template]) -> None:
    """List templates: name, role, provider, default model, regions, description."""
    if out.json_mode:
        out.json(
            {
                "templates": [
                    {
                        "name": t.name,
                        "description": t.description,
                        "provider": t.provider,
                        "model": t.model,
                        "route": t.route,
                        "role": t.role,
                        "regions": list(t.regions),
                    }
                    for t in templates.values()
                ]
            }
        )
        return
    width = max((len(name) for name in templates), default=4)
    for t in templates.values():
        out.line(
            f"{out.style(t.name.ljust(width), 'bold')}  {t.role:<12} {t.provider:<9} "
            f"{t.model:<26} {','.join(t.regions):<6} {t.description}"
        )


def render_one(out: Output, rendered: Rendered, fmt: str) -> None:
    """Print a rendered entry as it would appear in config.json or config.yaml."""
    if out.json_mode:
        out.json(
            {
                "name": rendered.template.name,
                "format": fmt,
                "region": rendered.region,
                "entry": rendered.entry,
            }
        )
        return
    if fmt == "yaml":
        from continue_setup.config.parsing import render_yaml

        out.raw(render_yaml([rendered.entry], None, ""))
    else:
        import json

        out.raw(json.dumps(rendered.entry, indent=2, ensure_ascii=False))

"""The Jinja environment's template globals: the same names as Jinja's ChainMap, still live."""

from __future__ import annotations

from collections import ChainMap

from flask import Flask, render_template_string

from qa_audit.templating import TemplateGlobals


def test_the_keys_are_every_name_of_every_layer() -> None:
    own, shared = {"a": 1}, {"a": 0, "b": 2}
    names = TemplateGlobals(own, shared)
    assert names.keys() == set(ChainMap(own, shared).keys()) == {"a", "b"}
    shared["c"] = 3  # the environment's globals change after the template was loaded
    assert names.keys() == {"a", "b", "c"} and names["a"] == 1


def test_the_apps_templates_use_them_and_imports_still_see_the_globals(app: Flask) -> None:
    with app.test_request_context():
        template = app.jinja_env.get_template("base.html")
        assert isinstance(template.globals, TemplateGlobals)
        html = render_template_string(
            '{% from "govuk_frontend_jinja/components/tag/macro.html" import govukTag %}'
            "{{ govukTag({'text': 'Open', 'classes': 'govuk-tag--red'}) }}"
            "{{ audit_url(7) }}"
        )
        assert '<strong class="govuk-tag govuk-tag--red">' in html and "/audits/7" in html

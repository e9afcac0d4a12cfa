"""The Decap CMS configuration is generated from the content model: every kind, every field, in Vietnamese."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
import yaml
from portal import cms
from portal.schema import KINDS
from support import DATA, ROOT, run_build

WIDGETS = {  # schema type → Decap widget
    "text": {"string", "text"}, "long_text": {"text"}, "texts": {"list"}, "names": {"list"}, "date": {"datetime"},
    "datetime": {"datetime"}, "int": {"number"}, "bool": {"boolean"},
    "choice": {"select"}, "choices": {"select"}, "url": {"string"}, "image": {"image"}, "document": {"file"},
    "focus": {"string"}, "honours": {"list"}, "own_honours": {"list"}, "leaders": {"list"}, "gallery": {"list"},
    "documents": {"list"},
}


@pytest.fixture(scope="module")
def config() -> dict:
    return cms.config({})


def _collection(config: dict, name: str) -> dict:
    return next(c for c in config["collections"] if c["name"] == name)


def _fields(collection: dict) -> dict[str, dict]:
    return {f["name"]: f for f in collection["fields"]}


def test_one_folder_collection_per_kind_with_vietnamese_labels(config):
    assert [c["name"] for c in config["collections"]] == list(KINDS)
    labels = {c["name"]: c["label"] for c in config["collections"]}
    assert labels == {
        "articles": "Tin bài", "pages": "Trang tĩnh", "campaigns": "Phong trào thi đua",
        "clusters": "Cụm, khối thi đua", "awards": "Danh hiệu, hình thức khen thưởng",
        "exemplars": "Điển hình tiên tiến", "provinces": "Tỉnh, thành phố",
    }
    for collection in config["collections"]:
        kind = KINDS[collection["name"]]
        assert collection["folder"] == f"content/{kind.folder}"
        assert collection["format"] == "frontmatter" and collection["extension"] == "md"
        assert collection["create"] is True
        assert collection["identifier_field"] == ("title" if "title" in kind.by_name else "name")
    articles = _collection(config, "articles")
    assert articles["path"] == "{{year}}/{{slug}}" and articles["slug"] == "{{slug}}"
    assert config["slug"] == {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}
    assert config["locale"] == "vi"


def test_every_schema_field_is_in_the_form_with_its_widget_and_required_flag(config):
    for name, kind in KINDS.items():
        fields = _fields(_collection(config, name))
        assert set(fields) == {f.name for f in kind.fields} | {"body"}, name
        assert fields["body"] == {"label": "Nội dung", "name": "body", "widget": "markdown",
                                  "required": name in ("articles", "pages")}
        for spec in kind.fields:
            field = fields[spec.name]
            assert field["required"] is spec.required, (name, spec.name)
            label = field["label"]
            assert label[0].isupper() and label.lower() == spec.label.lower(), (name, spec.name, label)
            if spec.type.name in ("slug", "slugs"):
                expected = {"relation"} if len(spec.ref) == 1 else {"string", "list"}
            else:
                expected = WIDGETS[spec.type.name]
            assert field["widget"] in expected, (name, spec.name, field["widget"])
        # The identifier comes first, as editors expect.
        assert next(iter(fields)) == ("title" if "title" in kind.by_name else "name")


def test_references_store_slugs_through_relation_widgets(config):
    seen = set()
    for name, kind in KINDS.items():
        fields = _fields(_collection(config, name))
        for spec in kind.fields:
            if spec.type.name not in ("slug", "slugs"):
                continue
            field = fields[spec.name]
            if len(spec.ref) == 1:
                target = spec.ref[0]
                seen.add(target)
                assert field["collection"] == target and field["value_field"] == "{{slug}}"
                assert field["multiple"] is (spec.type.name == "slugs")
                assert field["search_fields"][0] == field["display_fields"][0] == "name"
            else:  # provinces or exemplars: typed, checked against the slug pattern
                pattern = field["pattern"] if field["widget"] == "string" else field["field"]["pattern"]
                assert re.fullmatch(pattern[0].strip("^$"), "dak-lak")
                assert not re.fullmatch(pattern[0].strip("^$"), "Đắk Lắk")
    assert seen >= {"campaigns", "clusters", "provinces", "exemplars", "awards"}


def test_honours_are_a_list_of_references_with_a_vietnamese_stage(config):
    honours = _fields(_collection(config, "articles"))["honours"]
    assert honours["widget"] == "list"
    sub = {f["name"]: f for f in honours["fields"]}
    assert list(sub) == [f.name for f in KINDS["articles"].by_name["honours"].type.fields]
    assert (sub["recipient"]["collection"], sub["award"]["collection"], sub["campaign"]["collection"]) == (
        "exemplars", "awards", "campaigns")
    assert all(sub[k]["value_field"] == "{{slug}}" and sub[k]["multiple"] is False
               for k in ("recipient", "award", "campaign"))
    assert sub["recipient"]["required"] and sub["award"]["required"] and not sub["year"]["required"]
    assert sub["year"]["widget"] == "number" and sub["year"]["value_type"] == "int"
    assert sub["stage"]["options"] == [{"label": "Đã tặng", "value": "conferred"},
                                       {"label": "Đề nghị", "value": "proposed"}]
    assert sub["decision"]["widget"] == "string"
    # An exemplar's own honours: no recipient (the exemplar itself), the year required.
    own = {f["name"]: f for f in _fields(_collection(config, "exemplars"))["honours"]["fields"]}
    assert "recipient" not in own and own["year"]["required"] is True
    leaders = {f["name"]: f for f in _fields(_collection(config, "clusters"))["leaders"]["fields"]}
    assert list(leaders) == ["year", "leader", "deputy"]


def test_choices_keep_their_codes_behind_vietnamese_labels(config):
    scope = _fields(_collection(config, "campaigns"))["scope"]
    assert {"label": "Toàn quốc", "value": "national"} in scope["options"]
    recipients = _fields(_collection(config, "awards"))["recipients"]
    assert recipients["multiple"] is True
    for collection in config["collections"]:
        for field in collection["fields"]:
            for option in field.get("options", []):
                assert option["label"] != option["value"] and option["label"][0].isupper(), option


def test_dates_are_stored_as_the_build_reads_them(config):
    date = _fields(_collection(config, "articles"))["date"]
    assert date["format"] == "YYYY-MM-DD HH:mm" and date["default"] == "{{now}}"
    launched = _fields(_collection(config, "campaigns"))["launched"]
    assert launched["format"] == "YYYY-MM-DD" and launched["time_format"] is False


def test_every_label_the_editor_sees_is_the_schema_s_vietnamese_label(config):
    def walk(fields, specs):
        for field in fields:
            spec = specs.get(field["name"])
            if spec is None:  # the body, and the single item of a list of strings
                assert field["name"] in ("body", "item", "slug"), field
                continue
            assert spec.label, f"{spec.name} has no Vietnamese label in schema.py"
            assert field["label"] == spec.label[0].upper() + spec.label[1:] != spec.name
            if "fields" in field:
                walk(field["fields"], {f.name: f for f in spec.type.fields})

    for collection in config["collections"]:
        walk(collection["fields"], KINDS[collection["name"]].by_name)


def test_local_backend_is_decap_server_on_loopback_and_can_be_moved():
    assert cms.config({})["local_backend"] == {"url": "http://127.0.0.1:8081/api/v1"}
    moved = cms.config({"CMS_LOCAL_BACKEND_URL": "http://127.0.0.1:9999/api/v1"})
    assert moved["local_backend"]["url"] == "http://127.0.0.1:9999/api/v1"
    assert cms.config({})["backend"]["name"] == "git-gateway"
    assert cms.config({})["public_folder"] == "images"  # image fields hold "images/x.jpg", as the model says


def test_a_build_writes_the_admin(mini_site):
    admin = mini_site / "admin"
    written = yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))
    assert written == cms.config({"SITEURL": ""})
    page = (admin / "index.html").read_text(encoding="utf-8")
    assert '<html lang="vi">' in page
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/admin/decap-cms.js">',
                                                  '<script src="/admin/admin.js">']
    assert 'registerPreviewStyle("/theme/css/site.css")' in (admin / "admin.js").read_text(encoding="utf-8")
    assert (mini_site / "theme" / "css" / "site.css").is_file()
    if cms.decap_dist({}) is not None:  # npm ci has run: Decap's script and its chunks are copied
        assert (admin / "decap-cms.js").stat().st_size > 1_000_000
        assert any(admin.glob("*.decap-cms.js"))


def test_the_config_is_the_text_python_s_own_yaml_emitter_writes(tmp_path):
    """libyaml writes config.yml where PyYAML has it; the text is the pure-Python emitter's, to the byte."""
    files = cms.admin_files({"CMS_NODE_MODULES": str(tmp_path / "none"), "THEME": str(ROOT / "theme")})
    python = yaml.dump(cms.config({"CMS_NODE_MODULES": str(tmp_path / "none"), "THEME": str(ROOT / "theme")}),
                       Dumper=yaml.SafeDumper, allow_unicode=True, sort_keys=False, width=1000)
    header, text = files["admin/config.yml"].decode("utf-8").split("\n", 1)
    assert header.startswith("# Generated by plugins/portal/cms.py")
    assert text == python and "Tin bài" in text  # Vietnamese as it is, not escaped


def test_a_strict_build_without_node_modules_succeeds_and_says_how_to_install(tmp_path, caplog):
    settings = tmp_path / "settings.py"
    settings.write_text(f"from pelicanconf import *\nTHEME = {str(ROOT / 'theme')!r}\n"
                        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\n"
                        f"CMS_NODE_MODULES = {str(tmp_path / 'no-node-modules')!r}\n")
    result = run_build(DATA / "mini", tmp_path / "out", strict=True, settings=str(settings))
    assert result.returncode == 0, result.stderr
    admin = tmp_path / "out" / "admin"
    assert (admin / "config.yml").is_file() and (admin / "index.html").is_file()
    assert not (admin / "decap-cms.js").exists()
    with caplog.at_level(logging.INFO, logger="portal.cms"):
        files = cms.admin_files({"CMS_NODE_MODULES": str(tmp_path / "none"), "THEME": str(ROOT / "theme")})
    messages = [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "portal.cms"]
    assert messages and all(level == logging.INFO for level, _ in messages)
    assert "npm ci" in messages[0][1]
    assert set(files) == {"admin/config.yml", *(f"admin/{name}" for name in cms.ADMIN_FILES)}


def test_the_admin_page_ships_in_the_theme():
    source = Path(cms.__file__).resolve().parents[2] / "theme" / "admin"
    assert {p.name for p in source.iterdir()} >= set(cms.ADMIN_FILES)


def test_admin_is_kept_by_what_it_reads_and_made_again_when_decap_s_script_changes(tmp_path):
    """A build keeps admin/ unread while config.yml and the files it copies keep their names, sizes and mtimes
    (cms.admin_inputs); after ``npm ci`` brings another Decap, the next build copies the new script."""
    import shutil

    content = tmp_path / "content"
    shutil.copytree(DATA / "mini", content)
    dist = tmp_path / "node_modules" / "decap-cms" / "dist"
    dist.mkdir(parents=True)
    (dist / cms.DECAP_SCRIPT).write_text("// v1\n")
    settings = tmp_path / "settings.py"
    settings.write_text(f"from pelicanconf import *\nTHEME = {str(ROOT / 'theme')!r}\n"
                        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\n"
                        f"CMS_NODE_MODULES = {str(tmp_path / 'node_modules')!r}\n")
    out = tmp_path / "out"
    given = {"CMS_NODE_MODULES": str(tmp_path / "node_modules"), "THEME": str(ROOT / "theme")}
    first = cms.admin_inputs(given, cms.admin_sources(given))
    assert run_build(content, out, settings=str(settings)).returncode == 0
    assert (out / "admin" / cms.DECAP_SCRIPT).read_text() == "// v1\n"

    (dist / cms.DECAP_SCRIPT).write_text("// version 2\n")
    article = next((content / "articles").rglob("*.md"))
    article.write_text(article.read_text(encoding="utf-8") + "\nMột câu nữa.\n", encoding="utf-8")
    assert cms.admin_inputs(given, cms.admin_sources(given)) != first
    result = run_build(content, out, settings=str(settings))
    assert result.returncode == 0, result.stderr
    assert (out / "admin" / cms.DECAP_SCRIPT).read_text() == "// version 2\n"
    assert (out / "admin" / "config.yml").is_file() and (out / "admin" / "index.html").is_file()
    # Another site address changes the config, and so the digest, with every file as it was.
    moved = {**given, "PORTAL": {"site_url": "https://khac.example.vn"}}
    assert cms.admin_inputs(moved, cms.admin_sources(moved)) != cms.admin_inputs(given, cms.admin_sources(given))

use std::sync::Arc;

use async_trait::async_trait;

use super::*;
use crate::provider::ModelArtsProvider;
use crate::tf::resource::{
    ApplyResult, CreateRequest, Ctx, DeleteRequest, ReadRequest, ReadResult, Resource,
    UpdateRequest,
};
use crate::tf::{
    Attribute, Block, DataSource, Diagnostics, NestedBlock, Provider, Schema, Type, Value,
};

/// The CI check: the committed pages are exactly what the generator renders. Fix with `make docs`.
#[test]
fn committed_docs_are_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pages = render_all(&ModelArtsProvider::with_env(|_| None), root).unwrap();
    let drift = check(root, &pages).unwrap();
    assert!(
        drift.is_empty(),
        "docs/ is out of date; run `make docs` and commit the result:\n{}",
        drift
            .iter()
            .map(|d| format!("  - {d}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

struct Widget;

#[async_trait]
impl Resource<()> for Widget {
    fn type_name(&self) -> &str {
        "modelarts_widget"
    }
    fn schema(&self) -> Schema {
        Schema::new(
            Block::new()
                .description("A widget.")
                .attribute(Attribute::string("id").computed().description("Widget id."))
                .attribute(
                    Attribute::string("name")
                        .required()
                        .description("The name."),
                )
                .attribute(
                    Attribute::string("mode")
                        .default("FAST")
                        .description("How it runs."),
                )
                .attribute(Attribute::string("secret").optional().sensitive())
                .attribute(Attribute::string("zone").optional().immutable())
                .attribute(
                    Attribute::list(
                        "parts",
                        Type::object([("a", Type::String), ("b", Type::Number)]),
                    )
                    .computed(),
                )
                .block(
                    NestedBlock::list(
                        "disk",
                        Block::new()
                            .attribute(Attribute::number("size").required())
                            .block(NestedBlock::list(
                                "tag",
                                Block::new().attribute(Attribute::string("key").required()),
                            )),
                    )
                    .min_items(1)
                    .max_items(1),
                )
                .block(NestedBlock::single(
                    "timeouts",
                    Block::new().attribute(Attribute::string("create").optional()),
                )),
        )
    }
    async fn create(&self, _: &Ctx<()>, req: CreateRequest) -> ApplyResult {
        ApplyResult::ok(req.planned)
    }
    async fn read(&self, _: &Ctx<()>, req: ReadRequest) -> ReadResult {
        ReadResult::ok(req.state)
    }
    async fn update(&self, _: &Ctx<()>, req: UpdateRequest) -> ApplyResult {
        ApplyResult::ok(req.planned)
    }
    async fn delete(&self, _: &Ctx<()>, _: DeleteRequest) -> Diagnostics {
        Diagnostics::new()
    }
}

struct Gadgets;

#[async_trait]
impl DataSource<()> for Gadgets {
    fn type_name(&self) -> &str {
        "modelarts_gadgets"
    }
    fn schema(&self) -> Schema {
        Schema::new(
            Block::new()
                .description("Lists gadgets.")
                .attribute(Attribute::string("name").optional().description("Filter."))
                .attribute(Attribute::string("token").computed().sensitive()),
        )
    }
    async fn read(&self, _: &Ctx<()>, _: &Value) -> ReadResult {
        ReadResult::gone()
    }
}

struct Fake;

#[async_trait]
impl Provider for Fake {
    type Data = ();
    fn schema(&self) -> Schema {
        Schema::new(
            Block::new().description("The fake provider.").attribute(
                Attribute::string("region")
                    .optional()
                    .description("Region."),
            ),
        )
    }
    async fn configure(&self, _: &Value, _: &str, _: &mut Diagnostics) -> Option<()> {
        Some(())
    }
    fn resources(&self) -> Vec<Arc<dyn Resource<()>>> {
        vec![Arc::new(Widget)]
    }
    fn data_sources(&self) -> Vec<Arc<dyn DataSource<()>>> {
        vec![Arc::new(Gadgets)]
    }
}

fn put(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A project tree with the files the fake provider's pages need.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    put(
        root,
        "docs/templates/index.md.tmpl",
        "# Fake Provider\n\n{{ description }}\n\n{{ example examples/provider/provider.tf }}\n\n{{ schema }}\n",
    );
    put(
        root,
        "examples/provider/provider.tf",
        "provider \"modelarts\" {}\n",
    );
    put(
        root,
        "examples/resources/modelarts_widget/resource.tf",
        "resource \"modelarts_widget\" \"w\" {\n  name = \"w\"\n}\n",
    );
    put(
        root,
        "examples/resources/modelarts_widget/import.sh",
        "terraform import modelarts_widget.w 123\n",
    );
    put(
        root,
        "examples/data-sources/modelarts_gadgets/data-source.tf",
        "data \"modelarts_gadgets\" \"all\" {}\n",
    );
    dir
}

fn page<'a>(pages: &'a [Page], path: &str) -> &'a str {
    &pages
        .iter()
        .find(|p| p.path == Path::new(path))
        .unwrap_or_else(|| panic!("no page {path}"))
        .content
}

#[test]
fn resource_page_has_front_matter_example_schema_and_import() {
    let dir = project();
    let pages = render_all(&Fake, dir.path()).unwrap();
    let widget = page(&pages, "docs/resources/widget.md");
    assert!(
        widget.starts_with(
            "---\npage_title: \"modelarts_widget Resource - terraform-provider-modelarts\"\n\
             subcategory: \"Notebooks\"\ndescription: |-\n  A widget.\n---\n\n<!-- Generated"
        ),
        "{widget}"
    );
    for expected in [
        "# modelarts_widget (Resource)\n\nA widget.\n",
        "## Example Usage\n\n```terraform\nresource \"modelarts_widget\" \"w\" {\n  name = \"w\"\n}\n```\n",
        "### Required\n\n- `disk` (Block List, Min: 1, Max: 1) (see [below for nested schema](#nestedblock--disk))\n- `name` (String) The name.\n",
        "### Optional\n\n- `mode` (String) How it runs. Defaults to `\"FAST\"`.\n- `secret` (String, Sensitive)\n- `timeouts` (Block, Optional) (see [below for nested schema](#nestedblock--timeouts))\n- `zone` (String) Cannot be updated in place",
        "### Read-Only\n\n- `id` (String) Widget id.\n- `parts` (List of Object) (see [below for nested schema](#nestedatt--parts))\n",
        "<a id=\"nestedblock--disk\"></a>\n### Nested Schema for `disk`\n\nRequired:\n\n- `size` (Number)\n\nOptional:\n\n- `tag` (Block List) (see [below for nested schema](#nestedblock--disk--tag))\n",
        "<a id=\"nestedblock--disk--tag\"></a>\n### Nested Schema for `disk.tag`\n\nRequired:\n\n- `key` (String)\n",
        "<a id=\"nestedatt--parts\"></a>\n### Nested Schema for `parts`\n\nRead-Only:\n\n- `a` (String)\n- `b` (Number)\n",
        "## Import\n\nImport is supported using the following syntax:\n\n```shell\nterraform import modelarts_widget.w 123\n```\n",
    ] {
        assert!(widget.contains(expected), "missing {expected:?} in:\n{widget}");
    }
    // Nested sections follow the parent's lists breadth-first, in link order.
    let positions: Vec<usize> = ["disk", "timeouts", "parts", "disk.tag"]
        .iter()
        .map(|s| widget.find(&format!("Nested Schema for `{s}`")).unwrap())
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{widget}");
}

#[test]
fn data_source_and_index_pages() {
    let dir = project();
    let pages = render_all(&Fake, dir.path()).unwrap();
    let gadgets = page(&pages, "docs/data-sources/gadgets.md");
    assert!(gadgets
        .contains("page_title: \"modelarts_gadgets Data Source - terraform-provider-modelarts\""));
    assert!(gadgets.contains("# modelarts_gadgets (Data Source)"));
    assert!(gadgets.contains("```terraform\ndata \"modelarts_gadgets\" \"all\" {}\n```"));
    assert!(gadgets.contains("- `token` (String, Sensitive)"));
    assert!(!gadgets.contains("## Import"));
    let index = page(&pages, "docs/index.md");
    assert!(index.starts_with("---\npage_title: \"Provider: ModelArts\"\n"));
    assert!(index.contains("# Fake Provider\n\nThe fake provider.\n"));
    assert!(index.contains("### Optional\n\n- `region` (String) Region.\n"));
}

#[test]
fn write_then_check_is_clean_and_edits_or_strays_are_drift() {
    let dir = project();
    let root = dir.path();
    let pages = render_all(&Fake, root).unwrap();
    let written = write(root, &pages).unwrap();
    assert_eq!(written.len(), 3, "{written:?}");
    assert_eq!(check(root, &pages).unwrap(), vec![]);

    put(root, "docs/resources/widget.md", "hand edit\n");
    put(root, "docs/resources/old.md", "a removed resource\n");
    std::fs::remove_file(root.join("docs/data-sources/gadgets.md")).unwrap();
    let drift = check(root, &pages).unwrap();
    assert_eq!(
        drift,
        vec![
            Drift::Changed("docs/resources/widget.md".into()),
            Drift::Missing("docs/data-sources/gadgets.md".into()),
            Drift::Stale("docs/resources/old.md".into()),
        ]
    );
    write(root, &pages).unwrap();
    assert_eq!(check(root, &pages).unwrap(), vec![]);
    assert!(!root.join("docs/resources/old.md").exists());
}

#[test]
fn templates_and_guides() {
    let dir = project();
    let root = dir.path();
    put(
        root,
        "docs/templates/resources/widget.md.tmpl",
        "# Widgets\n\nIntro.\n\n  {{ schema }}\n\nOutro {{ not a directive }} inline.\n",
    );
    put(
        root,
        "docs/templates/guides/drift.md.tmpl",
        "---\npage_title: \"Drift\"\n---\n\n# Drift\n\n{{ example examples/provider/provider.tf }}\n",
    );
    let pages = render_all(&Fake, root).unwrap();
    let widget = page(&pages, "docs/resources/widget.md");
    assert!(widget.contains("from docs/templates/resources/widget.md.tmpl and"));
    assert!(widget.contains("# Widgets\n\nIntro.\n\n## Schema\n"));
    assert!(widget.contains("Outro {{ not a directive }} inline.\n"));
    let guide = page(&pages, "docs/guides/drift.md");
    assert!(
        guide.starts_with("---\npage_title: \"Drift\"\n---\n\n<!-- Generated by `make docs` from docs/templates/guides/drift.md.tmpl"),
        "{guide}"
    );
    assert!(guide.contains("# Drift\n\n```terraform\nprovider \"modelarts\" {}\n```\n"));
}

#[test]
fn template_errors_name_the_file_and_line() {
    let dir = project();
    let root = dir.path();
    put(
        root,
        "docs/templates/guides/bad.md.tmpl",
        "# Bad\n\n{{ schema }}\n",
    );
    let err = render_all(&Fake, root).unwrap_err().to_string();
    assert!(err.ends_with("docs/templates/guides/bad.md.tmpl:3: `schema` needs a resource, data source or provider page"), "{err}");

    put(
        root,
        "docs/templates/guides/bad.md.tmpl",
        "{{ example nope.tf }}\n",
    );
    let err = render_all(&Fake, root).unwrap_err().to_string();
    assert!(
        err.contains("bad.md.tmpl:1: example `nope.tf` cannot be read"),
        "{err}"
    );

    put(
        root,
        "docs/templates/guides/bad.md.tmpl",
        "{{ include x }}\n",
    );
    let err = render_all(&Fake, root).unwrap_err().to_string();
    assert!(err.contains("unknown directive `{{ include x }}`"), "{err}");
}

#[test]
fn orphan_templates_and_missing_examples_are_errors() {
    let dir = project();
    let root = dir.path();
    put(root, "docs/templates/resources/gone.md.tmpl", "# Gone\n");
    let err = render_all(&Fake, root).unwrap_err().to_string();
    assert!(
        err.contains("gone.md.tmpl: the provider serves no resource"),
        "{err}"
    );

    let dir = project();
    let root = dir.path();
    std::fs::remove_file(root.join("examples/data-sources/modelarts_gadgets/data-source.tf"))
        .unwrap();
    let err = render_all(&Fake, root).unwrap_err().to_string();
    assert!(
        err.contains("examples/data-sources/modelarts_gadgets/data-source.tf: every data source needs this example"),
        "{err}"
    );
}

#[test]
fn front_matter_description_is_a_literal_block() {
    let fm = front_matter("T", "", "Line one: \"quoted\"\n\nLine two.");
    assert_eq!(
        fm,
        "---\npage_title: \"T\"\nsubcategory: \"\"\ndescription: |-\n  Line one: \"quoted\"\n\n  Line two.\n---\n\n"
    );
}

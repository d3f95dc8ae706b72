//! Our own Terraform Registry docs generator (the Go `tfplugindocs` does not run here): renders
//! `docs/index.md`, `docs/resources/*.md`, `docs/data-sources/*.md` and `docs/guides/*.md` from the
//! provider's schemas, the example files under `examples/`, and hand-written templates in `docs/templates/`.
//!
//! `cargo run --example docgen` (`make docs`) writes the pages; a unit test fails when the committed pages
//! differ from what this module renders, so docs never drift from the schema.

mod schema_md;
mod template;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::tf::{Provider, Schema};

pub use template::example;

/// The provider's name as Terraform users write it (`provider "modelarts"`).
pub const PROVIDER_NAME: &str = "modelarts";
const SUBCATEGORY: &str = "Notebooks";
/// Directories whose every `.md` file is generated: a page there without a source is stale.
const GENERATED_DIRS: [&str; 3] = ["docs/resources", "docs/data-sources", "docs/guides"];

#[derive(Debug, thiserror::Error)]
pub enum DocgenError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{line}: {message}", path.display())]
    Template {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{}: {message}", path.display())]
    Layout { path: PathBuf, message: String },
}

/// One rendered page; `path` is relative to the repository root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub path: PathBuf,
    pub content: String,
}

/// A page that differs from the committed file (or a committed file no longer generated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift {
    Missing(PathBuf),
    Changed(PathBuf),
    Stale(PathBuf),
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Drift::Missing(p) => write!(f, "{} is missing", p.display()),
            Drift::Changed(p) => write!(f, "{} differs from the generated page", p.display()),
            Drift::Stale(p) => write!(
                f,
                "{} is no longer generated (no resource, data source or template for it)",
                p.display()
            ),
        }
    }
}

/// What kind of object a page documents.
#[derive(Clone, Copy)]
enum Kind {
    Resource,
    DataSource,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Resource => "Resource",
            Kind::DataSource => "Data Source",
        }
    }
    fn dir(self) -> &'static str {
        match self {
            Kind::Resource => "resources",
            Kind::DataSource => "data-sources",
        }
    }
    fn example_file(self) -> &'static str {
        match self {
            Kind::Resource => "resource.tf",
            Kind::DataSource => "data-source.tf",
        }
    }
}

/// Renders every page for `provider`, reading templates and examples under `root`.
pub fn render_all<P: Provider>(provider: &P, root: &Path) -> Result<Vec<Page>, DocgenError> {
    let mut pages = vec![provider_page(&provider.schema(), root)?];
    let mut objects: Vec<(Kind, String, Schema)> = Vec::new();
    for r in provider.resources() {
        objects.push((Kind::Resource, r.type_name().to_string(), r.schema()));
    }
    for d in provider.data_sources() {
        objects.push((Kind::DataSource, d.type_name().to_string(), d.schema()));
    }
    let mut served = std::collections::BTreeSet::new();
    for (kind, type_name, schema) in &objects {
        let page = object_page(*kind, type_name, schema, root)?;
        served.insert(page.path.clone());
        pages.push(page);
    }
    // A template without its resource is a rename or removal left half done.
    for kind in [Kind::Resource, Kind::DataSource] {
        let dir = root.join("docs/templates").join(kind.dir());
        for tmpl in list_files(&dir, ".md.tmpl")? {
            let page = Path::new("docs").join(kind.dir()).join(
                tmpl.file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default()
                    .trim_end_matches(".tmpl"),
            );
            if !served.contains(&page) {
                return Err(DocgenError::Layout {
                    path: tmpl.strip_prefix(root).unwrap_or(&tmpl).to_path_buf(),
                    message: format!(
                        "the provider serves no {} for this template",
                        kind.label().to_lowercase()
                    ),
                });
            }
        }
    }
    for tmpl in list_files(&root.join("docs/templates/guides"), ".md.tmpl")? {
        let name = tmpl
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .trim_end_matches(".tmpl")
            .to_string();
        let text = read(&tmpl)?;
        pages.push(Page {
            path: Path::new("docs/guides").join(name),
            content: generated_notice(&template::expand(&text, &tmpl, None, root)?, &tmpl, root),
        });
    }
    Ok(pages)
}

/// Writes `pages` under `root` and removes stale generated pages; returns the paths written or removed.
pub fn write(root: &Path, pages: &[Page]) -> Result<Vec<Drift>, DocgenError> {
    let drift = check(root, pages)?;
    for d in &drift {
        match d {
            Drift::Missing(p) | Drift::Changed(p) => {
                let page = pages.iter().find(|pg| &pg.path == p);
                if let Some(page) = page {
                    let full = root.join(p);
                    if let Some(parent) = full.parent() {
                        std::fs::create_dir_all(parent).map_err(|source| DocgenError::Io {
                            path: parent.to_path_buf(),
                            source,
                        })?;
                    }
                    std::fs::write(&full, &page.content)
                        .map_err(|source| DocgenError::Io { path: full, source })?;
                }
            }
            Drift::Stale(p) => {
                let full = root.join(p);
                std::fs::remove_file(&full)
                    .map_err(|source| DocgenError::Io { path: full, source })?;
            }
        }
    }
    Ok(drift)
}

/// Compares `pages` with the files under `root`; empty when the committed docs are current.
pub fn check(root: &Path, pages: &[Page]) -> Result<Vec<Drift>, DocgenError> {
    let mut drift = Vec::new();
    for page in pages {
        match std::fs::read_to_string(root.join(&page.path)) {
            Ok(text) if text == page.content => {}
            Ok(_) => drift.push(Drift::Changed(page.path.clone())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                drift.push(Drift::Missing(page.path.clone()))
            }
            Err(source) => {
                return Err(DocgenError::Io {
                    path: root.join(&page.path),
                    source,
                })
            }
        }
    }
    for dir in GENERATED_DIRS {
        for file in list_files(&root.join(dir), ".md")? {
            let rel = file.strip_prefix(root).unwrap_or(&file).to_path_buf();
            if !pages.iter().any(|p| p.path == rel) {
                drift.push(Drift::Stale(rel));
            }
        }
    }
    Ok(drift)
}

fn provider_page(schema: &Schema, root: &Path) -> Result<Page, DocgenError> {
    let tmpl = root.join("docs/templates/index.md.tmpl");
    let text = read(&tmpl)?;
    let body = template::expand(
        &text,
        &tmpl,
        Some(&template::Subject {
            description: &schema.block.description,
            schema: &schema_md::render(&schema.block),
        }),
        root,
    )?;
    let front = front_matter(
        &format!("Provider: {}", display_name()),
        "",
        &schema.block.description,
    );
    Ok(Page {
        path: PathBuf::from("docs/index.md"),
        content: format!("{front}{}", generated_notice(&body, &tmpl, root)),
    })
}

fn object_page(
    kind: Kind,
    type_name: &str,
    schema: &Schema,
    root: &Path,
) -> Result<Page, DocgenError> {
    let short = type_name
        .strip_prefix(&format!("{PROVIDER_NAME}_"))
        .unwrap_or(type_name);
    let tmpl = root
        .join("docs/templates")
        .join(kind.dir())
        .join(format!("{short}.md.tmpl"));
    let example_dir = format!("examples/{}/{type_name}", kind.dir());
    let example = format!("{example_dir}/{}", kind.example_file());
    if !root.join(&example).is_file() {
        return Err(DocgenError::Layout {
            path: PathBuf::from(&example),
            message: format!("every {} needs this example", kind.label().to_lowercase()),
        });
    }
    let text = if tmpl.is_file() {
        read(&tmpl)?
    } else {
        default_template(kind, type_name, &example_dir, root)
    };
    let body = template::expand(
        &text,
        &tmpl,
        Some(&template::Subject {
            description: &schema.block.description,
            schema: &schema_md::render(&schema.block),
        }),
        root,
    )?;
    let front = front_matter(
        &format!(
            "{type_name} {} - terraform-provider-{PROVIDER_NAME}",
            kind.label()
        ),
        SUBCATEGORY,
        &schema.block.description,
    );
    let source = if tmpl.is_file() {
        generated_notice(&body, &tmpl, root)
    } else {
        generated_notice(&body, Path::new(&example_dir), Path::new(""))
    };
    Ok(Page {
        path: Path::new("docs")
            .join(kind.dir())
            .join(format!("{short}.md")),
        content: format!("{front}{source}"),
    })
}

/// For a resource or data source without a hand-written template.
fn default_template(kind: Kind, type_name: &str, example_dir: &str, root: &Path) -> String {
    let mut t = format!(
        "# {type_name} ({})\n\n{{{{ description }}}}\n\n## Example Usage\n\n{{{{ example {example_dir}/{} }}}}\n\n{{{{ schema }}}}\n",
        kind.label(),
        kind.example_file()
    );
    let import = format!("{example_dir}/import.sh");
    if root.join(&import).is_file() {
        t.push_str(&format!(
            "\n## Import\n\nImport is supported using the following syntax:\n\n{{{{ example {import} }}}}\n"
        ));
    }
    t
}

fn display_name() -> &'static str {
    "ModelArts"
}

/// YAML front matter as the Registry reads it; the description is a literal block so any Markdown is safe.
fn front_matter(page_title: &str, subcategory: &str, description: &str) -> String {
    let mut out = format!(
        "---\npage_title: \"{page_title}\"\nsubcategory: \"{subcategory}\"\ndescription: |-\n"
    );
    for line in description.trim().lines() {
        if line.trim().is_empty() {
            out.push('\n');
        } else {
            out.push_str("  ");
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    out.push_str("---\n\n");
    out
}

/// Puts the "generated" notice at the top of `body`, or right after a template's own front matter, which
/// must stay first for the Registry to read it.
fn generated_notice(body: &str, tmpl: &Path, root: &Path) -> String {
    let source = tmpl.strip_prefix(root).unwrap_or(tmpl);
    let notice = format!(
        "<!-- Generated by `make docs` from {} and the provider schema: edit those, not this file. -->\n\n",
        source.display()
    );
    let body = body.trim_start();
    let front_end = body
        .strip_prefix("---\n")
        .and_then(|rest| rest.find("\n---\n"))
        .map(|i| i + "---\n".len() + "\n---\n".len());
    match front_end {
        Some(end) => format!("{}\n{notice}{}", &body[..end], body[end..].trim_start()),
        None => format!("{notice}{body}"),
    }
}

fn read(path: &Path) -> Result<String, DocgenError> {
    std::fs::read_to_string(path).map_err(|source| DocgenError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Files directly in `dir` whose name ends with `suffix`, sorted; a missing directory has none.
fn list_files(dir: &Path, suffix: &str) -> Result<Vec<PathBuf>, DocgenError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(DocgenError::Io {
                path: dir.to_path_buf(),
                source,
            })
        }
    };
    let mut files = BTreeMap::new();
    for entry in entries {
        let entry = entry.map_err(|source| DocgenError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_file() && name.ends_with(suffix) {
            files.insert(name, path);
        }
    }
    Ok(files.into_values().collect())
}

#[cfg(test)]
mod tests;

//! The template language of `docs/templates/`: Markdown where a line holding only `{{ directive }}` is
//! replaced. Deliberately tiny (three directives) so a template reads as the page it becomes.
//!
//! - `{{ description }}`: the subject's schema description.
//! - `{{ schema }}`: the generated `## Schema` section of the subject.
//! - `{{ example PATH }}`: the file at PATH (relative to the repository root) as a fenced code block.

use std::path::Path;

use super::DocgenError;

/// What a page documents; guides document nothing and may not use `description` or `schema`.
pub struct Subject<'a> {
    pub description: &'a str,
    pub schema: &'a str,
}

pub fn expand(
    template: &str,
    template_path: &Path,
    subject: Option<&Subject<'_>>,
    root: &Path,
) -> Result<String, DocgenError> {
    let mut out = String::with_capacity(template.len() * 2);
    for (n, line) in template.lines().enumerate() {
        let trimmed = line.trim();
        let Some(inner) = trimmed
            .strip_prefix("{{")
            .and_then(|rest| rest.strip_suffix("}}"))
        else {
            out.push_str(line);
            out.push('\n');
            continue;
        };
        let err = |message: String| DocgenError::Template {
            path: template_path.to_path_buf(),
            line: n + 1,
            message,
        };
        let mut words = inner.split_whitespace();
        let directive = words.next().unwrap_or_default();
        let args: Vec<&str> = words.collect();
        match (directive, args.as_slice()) {
            ("description", []) | ("schema", []) => {
                let subject = subject.ok_or_else(|| {
                    err(format!(
                        "`{directive}` needs a resource, data source or provider page"
                    ))
                })?;
                let text = if directive == "schema" {
                    subject.schema
                } else {
                    subject.description
                };
                out.push_str(text.trim_end());
                out.push('\n');
            }
            ("example", [file]) => out.push_str(&example(root, file).map_err(&err)?),
            _ => {
                return Err(err(format!(
                    "unknown directive `{trimmed}`; use {{{{ description }}}}, {{{{ schema }}}} or {{{{ example PATH }}}}"
                )))
            }
        }
    }
    Ok(out)
}

/// A fenced block of an example file, its language taken from the extension.
pub fn example(root: &Path, file: &str) -> Result<String, String> {
    let path = root.join(file);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("example `{file}` cannot be read: {e}"))?;
    let lang = match Path::new(file).extension().and_then(|e| e.to_str()) {
        Some("tf") => "terraform",
        Some("sh") => "shell",
        Some("json") => "json",
        Some("yml" | "yaml") => "yaml",
        _ => "text",
    };
    Ok(format!("```{lang}\n{}\n```\n", text.trim_end()))
}

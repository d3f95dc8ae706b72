//! Renders a schema as the Registry's "Schema" section: Required / Optional / Read-Only lists, then one
//! "Nested Schema" section per nested block or object-typed attribute, with tfplugindocs' anchor names so
//! links look and behave like every other provider's docs.

use std::fmt::Write as _;

use crate::tf::{Attribute, Block, NestedBlock, Nesting, Type};

/// What a nested section documents: a block type, or the object inside an attribute's type.
enum Nested<'a> {
    Block(&'a NestedBlock),
    Object { attrs: Vec<(&'a str, &'a Type)> },
}

struct Section<'a> {
    anchor: String,
    title: String,
    nested: Nested<'a>,
}

/// One documented entry: its list line and, for nested content, the section it links to.
struct Entry<'a> {
    name: &'a str,
    line: String,
    child: Option<Section<'a>>,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Group {
    Required,
    Optional,
    ReadOnly,
}

impl Group {
    fn title(self) -> &'static str {
        match self {
            Group::Required => "Required",
            Group::Optional => "Optional",
            Group::ReadOnly => "Read-Only",
        }
    }
}

/// The full `## Schema` section for a top-level block.
pub fn render(block: &Block) -> String {
    let mut out = String::from("## Schema\n");
    let mut queue = Vec::new();
    render_groups(&mut out, block, &[], "###", &mut queue);
    // Breadth-first like tfplugindocs: every nested section follows its parent's lists, in link order.
    let mut i = 0;
    while i < queue.len() {
        let section: &Section = &queue[i];
        let (anchor, title) = (section.anchor.clone(), section.title.clone());
        let _ = write!(
            out,
            "\n<a id=\"{anchor}\"></a>\n### Nested Schema for `{title}`\n"
        );
        let path: Vec<String> = title.split('.').map(str::to_string).collect();
        let mut children = Vec::new();
        match &queue[i].nested {
            Nested::Block(b) => render_groups(&mut out, &b.block, &path, "", &mut children),
            Nested::Object { attrs, .. } => render_object(&mut out, attrs, &path, &mut children),
        }
        queue.extend(children);
        i += 1;
    }
    out
}

/// Entries of `block` grouped into Required / Optional / Read-Only. `heading` is `###` at the top level
/// (sub-headings) and empty inside nested sections (plain `Required:` labels, as the Registry shows them).
fn render_groups<'a>(
    out: &mut String,
    block: &'a Block,
    path: &[String],
    heading: &str,
    queue: &mut Vec<Section<'a>>,
) {
    let mut entries: Vec<(Group, Entry<'a>)> = Vec::new();
    for a in &block.attributes {
        entries.push((attribute_group(a), attribute_entry(a, path)));
    }
    for b in &block.blocks {
        entries.push((block_group(b), block_entry(b, path)));
    }
    entries.sort_by(|(g1, e1), (g2, e2)| (g1, e1.name).cmp(&(g2, e2.name)));
    write_groups(out, entries, heading, queue);
}

fn render_object<'a>(
    out: &mut String,
    attrs: &[(&'a str, &'a Type)],
    path: &[String],
    queue: &mut Vec<Section<'a>>,
) {
    // Attributes of an object type are all set by the provider: the object is read-only as a whole.
    let mut entries: Vec<(Group, Entry<'a>)> = attrs
        .iter()
        .map(|(name, ty)| (Group::ReadOnly, typed_entry(name, ty, "", path)))
        .collect();
    entries.sort_by(|(_, a), (_, b)| a.name.cmp(b.name));
    write_groups(out, entries, "", queue);
}

fn write_groups<'a>(
    out: &mut String,
    entries: Vec<(Group, Entry<'a>)>,
    heading: &str,
    queue: &mut Vec<Section<'a>>,
) {
    let mut current = None;
    for (group, entry) in entries {
        if current != Some(group) {
            current = Some(group);
            if heading.is_empty() {
                let _ = write!(out, "\n{}:\n\n", group.title());
            } else {
                let _ = write!(out, "\n{heading} {}\n\n", group.title());
            }
        }
        out.push_str(&entry.line);
        out.push('\n');
        queue.extend(entry.child);
    }
}

fn attribute_group(a: &Attribute) -> Group {
    if a.required {
        Group::Required
    } else if a.optional {
        Group::Optional
    } else {
        Group::ReadOnly
    }
}

fn block_group(b: &NestedBlock) -> Group {
    if b.min_items > 0 {
        Group::Required
    } else {
        Group::Optional
    }
}

fn anchor(kind: &str, path: &[String], name: &str) -> String {
    let mut parts: Vec<&str> = path.iter().map(String::as_str).collect();
    parts.push(name);
    format!("{kind}--{}", parts.join("--"))
}

fn title(path: &[String], name: &str) -> String {
    let mut parts: Vec<&str> = path.iter().map(String::as_str).collect();
    parts.push(name);
    parts.join(".")
}

fn attribute_entry<'a>(a: &'a Attribute, path: &[String]) -> Entry<'a> {
    let mut flags = Vec::new();
    if a.sensitive {
        flags.push("Sensitive");
    }
    if a.deprecated {
        flags.push("Deprecated");
    }
    let mut description = a.description.trim().to_string();
    if let Some(d) = &a.default {
        append_sentence(&mut description, &format!("Defaults to `{d}`."));
    }
    if a.immutable.is_some() {
        append_sentence(
            &mut description,
            "Cannot be updated in place: a change is a plan error unless `enable_force_new` is set, which replaces the resource.",
        );
    }
    let mut e = typed_entry(&a.name, &a.ty, &description, path);
    if !flags.is_empty() {
        // `(String)` becomes `(String, Sensitive)`.
        if let Some(close) = e.line.find(')') {
            e.line.insert_str(close, &format!(", {}", flags.join(", ")));
        }
    }
    e
}

fn typed_entry<'a>(name: &'a str, ty: &'a Type, description: &str, path: &[String]) -> Entry<'a> {
    let (type_name, object) = type_label(ty);
    let mut line = format!("- `{name}` ({type_name})");
    if !description.is_empty() {
        line.push(' ');
        line.push_str(description);
    }
    let child = object.map(|attrs| {
        let anchor = anchor("nestedatt", path, name);
        let _ = write!(line, " (see [below for nested schema](#{anchor}))");
        Section {
            anchor,
            title: title(path, name),
            nested: Nested::Object {
                attrs: attrs.iter().map(|(k, t)| (k.as_str(), t)).collect(),
            },
        }
    });
    Entry { name, line, child }
}

fn block_entry<'a>(b: &'a NestedBlock, path: &[String]) -> Entry<'a> {
    let kind = match b.nesting {
        Nesting::Single | Nesting::Group => "Block",
        Nesting::List => "Block List",
        Nesting::Set => "Block Set",
        Nesting::Map => "Block Map",
    };
    let mut label = kind.to_string();
    if b.min_items > 0 {
        let _ = write!(label, ", Min: {}", b.min_items);
    }
    if b.max_items > 0 {
        let _ = write!(label, ", Max: {}", b.max_items);
    }
    if b.nesting == Nesting::Single && b.min_items == 0 {
        label.push_str(", Optional");
    }
    let anchor = anchor("nestedblock", path, &b.type_name);
    let mut line = format!("- `{}` ({label})", b.type_name);
    let mut description = b.block.description.trim().to_string();
    if b.immutable.is_some() {
        append_sentence(
            &mut description,
            "Cannot be updated in place: a change is a plan error unless `enable_force_new` is set, which replaces the resource.",
        );
    }
    if !description.is_empty() {
        line.push(' ');
        line.push_str(&description);
    }
    let _ = write!(line, " (see [below for nested schema](#{anchor}))");
    Entry {
        name: &b.type_name,
        line,
        child: Some(Section {
            anchor,
            title: title(path, &b.type_name),
            nested: Nested::Block(b),
        }),
    }
}

/// tfplugindocs' type names: `String`, `List of String`, `Set of Object`; the object, if any, gets a section.
fn type_label(ty: &Type) -> (String, Option<&crate::tf::types::KeyMap<Type>>) {
    match ty {
        Type::String => ("String".into(), None),
        Type::Number => ("Number".into(), None),
        Type::Bool => ("Boolean".into(), None),
        Type::Dynamic => ("Dynamic".into(), None),
        Type::Object(attrs) => ("Object".into(), Some(attrs)),
        Type::Tuple(_) => ("Tuple".into(), None),
        Type::List(e) | Type::Set(e) | Type::Map(e) => {
            let kind = match ty {
                Type::List(_) => "List",
                Type::Set(_) => "Set",
                _ => "Map",
            };
            let (inner, object) = type_label(e);
            (format!("{kind} of {inner}"), object)
        }
    }
}

fn append_sentence(description: &mut String, sentence: &str) {
    if !description.is_empty() {
        description.push(' ');
    }
    description.push_str(sentence);
}

//! Diagnostics: errors and warnings for Terraform, optionally pointing at an attribute.

use std::fmt;

use super::path::AttributePath;
use super::protocol;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The headline.
    pub summary: String,
    /// Shown verbatim below the headline.
    pub detail: String,
    /// With a path Terraform quotes the offending configuration line.
    pub path: Option<AttributePath>,
}

impl Diagnostic {
    pub fn error(summary: impl Into<String>, detail: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            summary: summary.into(),
            detail: detail.into(),
            path: None,
        }
    }

    pub fn warning(summary: impl Into<String>, detail: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            summary: summary.into(),
            detail: detail.into(),
            path: None,
        }
    }

    pub fn at(mut self, path: AttributePath) -> Diagnostic {
        self.path = Some(path);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    pub fn to_protocol(&self) -> protocol::Diagnostic {
        protocol::Diagnostic {
            severity: match self.severity {
                Severity::Error => protocol::Severity::Error,
                Severity::Warning => protocol::Severity::Warning,
            },
            summary: self.summary.clone(),
            detail: self.detail.clone(),
            attribute: self
                .path
                .as_ref()
                .filter(|p| !p.is_empty())
                .map(AttributePath::to_protocol),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{sev}: {}", self.summary)?;
        if let Some(p) = self.path.as_ref().filter(|p| !p.is_empty()) {
            write!(f, " (at {p})")?;
        }
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        Ok(())
    }
}

/// An ordered collection of diagnostics; the unit every hook and validator reports into.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn new() -> Diagnostics {
        Diagnostics::default()
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn error(&mut self, summary: impl Into<String>, detail: impl Into<String>) {
        self.push(Diagnostic::error(summary, detail));
    }

    pub fn error_at(
        &mut self,
        path: AttributePath,
        summary: impl Into<String>,
        detail: impl Into<String>,
    ) {
        self.push(Diagnostic::error(summary, detail).at(path));
    }

    pub fn warning(&mut self, summary: impl Into<String>, detail: impl Into<String>) {
        self.push(Diagnostic::warning(summary, detail));
    }

    pub fn warning_at(
        &mut self,
        path: AttributePath,
        summary: impl Into<String>,
        detail: impl Into<String>,
    ) {
        self.push(Diagnostic::warning(summary, detail).at(path));
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }

    pub fn to_protocol(&self) -> Vec<protocol::Diagnostic> {
        self.0.iter().map(Diagnostic::to_protocol).collect()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Diagnostics {
        Diagnostics(vec![d])
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_and_converts() {
        let mut d = Diagnostics::new();
        d.warning("careful", "");
        assert!(!d.has_errors());
        d.error_at(
            AttributePath::root("volume").index(0).attr("size"),
            "bad size",
            "must be > 0",
        );
        assert!(d.has_errors());
        let p = d.to_protocol();
        assert_eq!(p[0].severity, protocol::Severity::Warning);
        assert_eq!(p[0].attribute, None);
        assert_eq!(p[1].severity, protocol::Severity::Error);
        assert_eq!(p[1].attribute.as_ref().map(|a| a.steps.len()), Some(3));
        assert_eq!(
            d.0[1].to_string(),
            "error: bad size (at volume[0].size): must be > 0"
        );
    }

    #[test]
    fn empty_path_is_sent_as_none() {
        let d = Diagnostic::error("x", "").at(AttributePath::empty());
        assert_eq!(d.to_protocol().attribute, None);
    }
}

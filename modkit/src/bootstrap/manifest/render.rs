//! A manifest as text: JSON, Graphviz, Mermaid and `check`'s table.

use super::{HostManifest, ModuleManifest};

impl HostManifest {
    /// The manifest as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self)
            .unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}"))
    }

    /// A Graphviz digraph: one node per module labelled with its capabilities, one edge
    /// from each module to each of its dependencies.
    pub fn to_dot(&self) -> String {
        let mut out = String::from("digraph modules {\n  rankdir=LR;\n  node [shape=box];\n");
        for module in &self.modules {
            out.push_str(&format!(
                "  \"{}\" [label=\"{}\\n{}\"];\n",
                module.name,
                module.name,
                module.label()
            ));
        }
        for module in &self.modules {
            for dep in &module.deps {
                out.push_str(&format!("  \"{}\" -> \"{dep}\";\n", module.name));
            }
        }
        out.push_str("}\n");
        out
    }

    /// A Mermaid flowchart with the same nodes and edges as [`to_dot`](Self::to_dot).
    pub fn to_mermaid(&self) -> String {
        let id = |name: &str| name.replace('-', "_");
        let mut out = String::from("flowchart LR\n");
        for module in &self.modules {
            out.push_str(&format!(
                "  {}[\"{}<br/>{}\"]\n",
                id(&module.name),
                module.name,
                module.label()
            ));
        }
        for module in &self.modules {
            for dep in &module.deps {
                out.push_str(&format!("  {} --> {}\n", id(&module.name), id(dep)));
            }
        }
        out
    }

    /// One line per module, numbered in start order, for `check`.
    pub fn to_table(&self) -> String {
        let width = self.modules.iter().map(|m| m.name.len()).max().unwrap_or(0);
        let mut out = String::new();
        for (index, module) in self.modules.iter().enumerate() {
            out.push_str(&format!(
                "{:>3}. {:<width$}  [{}]{}\n",
                index + 1,
                module.name,
                module.capabilities.join(", "),
                if module.placement == "local" {
                    String::new()
                } else {
                    format!("  ({})", module.placement)
                }
            ));
        }
        out
    }
}

impl ModuleManifest {
    fn label(&self) -> String {
        let mut label = self.capabilities.join(", ");
        if self.placement != "local" {
            label.push_str(&format!(" ({})", self.placement));
        }
        label
    }
}

//! Component names as JavaScript sees them (docs/components.md): kebab-case words become
//! lowerCamelCase members and PascalCase classes, as jco names them. The validator admits only
//! ASCII in kebab names, so ASCII case mapping is exact here (and keeps Unicode's case tables out
//! of the engine: docs/components.md, "Size").

/// "my-field" → "myField"; "get-HTTP-body" → "getHttpBody".
pub fn lower_camel(kebab: &str) -> String {
    let mut out = String::with_capacity(kebab.len());
    for (i, word) in kebab.split('-').enumerate() {
        if i == 0 {
            out.push_str(&word.to_ascii_lowercase());
        } else {
            push_capitalized(&mut out, word);
        }
    }
    out
}

/// "blob-store" → "BlobStore".
pub fn pascal(kebab: &str) -> String {
    let mut out = String::with_capacity(kebab.len());
    for word in kebab.split('-') {
        push_capitalized(&mut out, word);
    }
    out
}

fn push_capitalized(out: &mut String, word: &str) {
    let mut chars = word.chars();
    if let Some(first) = chars.next() {
        out.push(first.to_ascii_uppercase());
        out.push_str(&chars.as_str().to_ascii_lowercase());
    }
}

/// A TypeScript property key: bare when it is an identifier, else quoted.
pub fn property_key(name: &str) -> String {
    let identifier = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if identifier {
        name.to_string()
    } else {
        string_literal(name)
    }
}

/// `name` as a single-quoted TypeScript string.
pub fn string_literal(name: &str) -> String {
    format!("'{}'", name.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// The plain name of an interface: "wasi:cli/stdout@0.2.0" → "stdout"; other names unchanged.
pub fn plain_interface_name(name: &str) -> &str {
    let after_slash = name.rsplit_once('/').map_or(name, |(_, rest)| rest);
    after_slash
        .split_once('@')
        .map_or(after_slash, |(plain, _)| plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_kebab_names_as_jco_does() {
        assert_eq!(lower_camel("my-field"), "myField");
        assert_eq!(lower_camel("get-HTTP-body"), "getHttpBody");
        assert_eq!(lower_camel("a"), "a");
        assert_eq!(pascal("blob-store"), "BlobStore");
    }

    #[test]
    fn quotes_keys_that_are_not_identifiers() {
        assert_eq!(property_key("add"), "add");
        assert_eq!(property_key("ns:pkg/iface"), "'ns:pkg/iface'");
        assert_eq!(property_key("host-log"), "'host-log'");
    }

    #[test]
    fn finds_an_interface_plain_name() {
        assert_eq!(plain_interface_name("wasi:cli/stdout@0.2.0"), "stdout");
        assert_eq!(plain_interface_name("ns:pkg/iface"), "iface");
        assert_eq!(plain_interface_name("run"), "run");
    }
}

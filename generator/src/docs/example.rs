//! Copyable usage examples of the generated client, written to compile as doctests
//! (`rust,no_run`): every value is spelled the way the generated models define it.

use super::text::all_defaultable;
use crate::ir::names::unraw;
use crate::ir::{Api, Field, Operation, Prim, SecurityKind, TypeKind, TypeRef};

/// Nesting depth past which an example gives up (and is marked as not compiling).
const MAX_DEPTH: usize = 4;

/// Widest call kept on one line.
const MAX_WIDTH: usize = 100;

/// A usage example of one operation.
#[cfg(feature = "docs")]
pub struct Example {
    /// The code, without fences.
    pub code: String,
    /// False when some value could not be written (the example is then fenced `rust,ignore`).
    pub compiles: bool,
}

/// The example for `op` of `api`, whose generated module is `module`.
#[cfg(feature = "docs")]
pub fn example(api: &Api, module: &str, op: &Operation) -> Example {
    let (client, call, compiles) = lines(api, module, op);
    let code = [
        "# async fn example() -> Result<(), Box<dyn std::error::Error>> {".to_string(),
        format!("use generated::{module}::{{self, client::Client}};"),
        String::new(),
        client,
        call,
        "println!(\"{:?}\", response.into_inner());".to_string(),
        "# Ok(())".to_string(),
        "# }".to_string(),
    ]
    .join("\n");
    Example { code, compiles }
}

/// The `# Example` section of a client method's rustdoc. Fenced `ignore`: generated code
/// lives in the user's crate, whose doctests must not depend on a path of ours.
pub fn method_example(api: &Api, op: &Operation) -> Option<String> {
    let (_, call, _) = lines(api, "api", op);
    Some(format!("# Example\n```ignore\n{call}\n```"))
}

/// The set-up of the `client` the methods' examples call: with the credentials of the first
/// operation that needs some.
pub fn client_example(api: &Api) -> String {
    client_line(api, api.operations.iter().find_map(|op| auth_call(api, op)))
}

/// `let client = Client::new(…)?` with the credentials call `auth`.
fn client_line(api: &Api, auth: Option<&str>) -> String {
    match auth {
        Some(auth) => format!("let client = Client::new({:?})?\n    {auth};", base_url(api)),
        None => format!("let client = Client::new({:?})?;", base_url(api)),
    }
}

/// The client set-up line, the call, and whether every value could be written.
fn lines(api: &Api, module: &str, op: &Operation) -> (String, String, bool) {
    let mut g = Gen { api, module, ok: true };
    let arg_indent = 8;
    let mut args = Vec::new();
    for p in op.path_params() {
        args.push(match p.ty {
            TypeRef::Prim(Prim::String) => format!("\"{}_example\"", unraw(&p.name)),
            _ => g.value(&p.ty, unraw(&p.name), arg_indent, 0),
        });
    }
    if let Some(params_type) = &op.params_type {
        args.push(format!("&{}", g.params_literal(op, params_type, arg_indent)));
    }
    if let Some(body) = &op.body {
        let value = g.body(&body.ty, arg_indent, 0);
        args.push(match (body.required, value.as_str()) {
            (true, _) => format!("&{value}"),
            // An optional body that would be empty anyway: none.
            (false, "Default::default()") => "None".to_string(),
            (false, _) => format!("Some(&{value})"),
        });
    }

    let one_line = format!("let response = client.{}({}).await?;", op.name, args.join(", "));
    let flat = args.iter().all(|a| !a.contains('\n'));
    let chained = format!("    .{}({})", op.name, args.join(", "));
    let call = if flat && one_line.len() <= MAX_WIDTH {
        one_line
    } else if flat && chained.len() <= MAX_WIDTH {
        format!("let response = client\n{chained}\n    .await?;")
    } else {
        let args: String = args.iter().map(|a| format!("        {a},\n")).collect();
        format!("let response = client\n    .{}(\n{args}    )\n    .await?;", op.name)
    };
    (client_line(api, auth_call(api, op)), call, g.ok)
}

/// The first server URL with its variables replaced by their defaults; `http://localhost`
/// when there is none or it is relative.
pub fn base_url(api: &Api) -> String {
    api.servers
        .first()
        .map(|s| {
            s.variables.iter().fold(s.url.clone(), |url, (name, default)| url.replace(&format!("{{{name}}}"), default))
        })
        .filter(|url| url.starts_with("http://") || url.starts_with("https://"))
        .map(|url| url.trim_end_matches('/').to_string())
        .unwrap_or_else(|| "http://localhost".to_string())
}

/// The `Client` builder call that sets credentials for the operation's first security
/// alternative, when the operation requires credentials.
fn auth_call(api: &Api, op: &Operation) -> Option<&'static str> {
    if op.oauth.is_some() {
        return Some(".with_client_credentials(\"client_id\", \"client_secret\")");
    }
    if !op.requires_auth() {
        return None;
    }
    let key = &op.security.first()?.first()?.scheme;
    match &api.security_schemes.get(key)?.kind {
        SecurityKind::Basic => Some(".with_basic_auth(\"user\", \"password\")"),
        SecurityKind::Bearer { .. } | SecurityKind::OAuth2 { .. } | SecurityKind::OpenIdConnect { .. } => {
            Some(".with_bearer_token(\"token\")")
        }
        SecurityKind::ApiKey { .. } => Some(".with_api_key(\"api_key\")"),
        SecurityKind::OtherHttp { .. } => None,
    }
}

struct Gen<'a> {
    api: &'a Api,
    module: &'a str,
    ok: bool,
}

impl Gen<'_> {
    /// Gives up on a value: the example will not compile.
    fn fail(&mut self) -> String {
        self.ok = false;
        "/* a value the example cannot build */".to_string()
    }

    /// An example value of `ty`; `hint` names string examples, `indent` is the indentation of
    /// the line the value starts on.
    fn value(&mut self, ty: &TypeRef, hint: &str, indent: usize, depth: usize) -> String {
        match ty {
            TypeRef::Prim(p) => prim_value(*p, hint),
            TypeRef::Array(_) => "vec![]".to_string(),
            TypeRef::Map(_) => "Default::default()".to_string(),
            TypeRef::Any => "serde_json::Value::Null".to_string(),
            TypeRef::Named(name) => self.named(name, hint, indent, depth),
        }
    }

    fn named(&mut self, name: &str, hint: &str, indent: usize, depth: usize) -> String {
        let api = self.api;
        let Some(def) = api.types.get(name) else { return self.fail() };
        if depth > MAX_DEPTH {
            return self.fail();
        }
        // An enum or a union that repeats another is an alias of it: its variants are named
        // through the alias, the type the field names.
        let kind = match &def.kind {
            TypeKind::Alias { target } => match api.definition(target).map(|t| &t.kind) {
                Some(kind @ (TypeKind::Enum { .. } | TypeKind::Union { .. })) => kind,
                _ => &def.kind,
            },
            kind => kind,
        };
        match kind {
            TypeKind::Enum { variants, .. } => match variants.first() {
                Some(v) => format!("{}::{name}::{}", self.module, v.name),
                None => self.fail(),
            },
            TypeKind::Struct { fields, .. } if all_defaultable(api, fields) => "Default::default()".to_string(),
            TypeKind::Struct { fields, additional } => self.struct_literal(name, fields, additional.is_some(), indent, depth),
            TypeKind::Union { variants, .. } => match variants.first() {
                Some(v) => {
                    let inner = self.value(&v.ty, hint, indent, depth + 1);
                    let inner = boxed_if(matches!(&v.ty, TypeRef::Named(n) if n == name), inner);
                    format!("{}::{name}::{}({inner})", self.module, v.name)
                }
                None => self.fail(),
            },
            TypeKind::Alias { target } => self.value(target, hint, indent, depth + 1),
        }
    }

    /// A struct built with its constructor, `Type::new(required fields…)` (or
    /// `Default::default()` when it has no required field).
    fn struct_literal(&mut self, name: &str, fields: &[Field], _additional: bool, indent: usize, depth: usize) -> String {
        let path = format!("{}::{name}", self.module);
        if all_defaultable(self.api, fields) {
            return format!("{path}::default()");
        }
        let args: Vec<String> = fields
            .iter()
            .filter(|f| crate::codegen::types::is_constructor_arg(self.api, f))
            .map(|f| match &f.ty {
                TypeRef::Prim(Prim::String) => format!("\"{}_example\"", unraw(&f.name)),
                ty => self.value(ty, unraw(&f.name), indent + 4, depth + 1),
            })
            .collect();
        let one_line = format!("{path}::new({})", args.join(", "));
        if args.iter().all(|a| !a.contains('\n')) && one_line.len() + indent <= MAX_WIDTH {
            return one_line;
        }
        let pad = " ".repeat(indent + 4);
        let mut out = format!("{path}::new(\n");
        for a in args {
            out.push_str(&format!("{pad}{a},\n"));
        }
        out.push_str(&" ".repeat(indent));
        out.push(')');
        out
    }

    /// The `{Op}Params` value: its default when every parameter is optional, else a literal
    /// where required parameters get values, optional ones `None`.
    fn params_literal(&mut self, op: &Operation, params_type: &str, indent: usize) -> String {
        if op.other_params().all(|p| !p.required) {
            return "Default::default()".to_string();
        }
        let path = format!("{}::{params_type}", self.module);
        let pad = " ".repeat(indent + 4);
        let mut out = format!("{path} {{\n");
        for p in op.other_params() {
            let value = if p.required { self.value(&p.ty, unraw(&p.name), indent + 4, 1) } else { "None".to_string() };
            out.push_str(&format!("{pad}{}: {value},\n", p.name));
        }
        out.push_str(&" ".repeat(indent));
        out.push('}');
        out
    }

    /// The request body value: a struct literal, a union's first variant, or a plain value.
    fn body(&mut self, ty: &TypeRef, indent: usize, depth: usize) -> String {
        let api = self.api;
        let TypeRef::Named(name) = ty else { return self.value(ty, "body", indent, depth) };
        if depth > MAX_DEPTH {
            return self.fail();
        }
        match api.types.get(name).map(|t| &t.kind) {
            Some(TypeKind::Struct { fields, additional }) => self.struct_literal(name, fields, additional.is_some(), indent, depth),
            Some(TypeKind::Union { variants, .. }) => match variants.first() {
                Some(v) => {
                    let inner = match &v.ty {
                        TypeRef::Named(n) if n != name => self.body(&v.ty, indent, depth + 1),
                        other => self.value(other, "body", indent, depth + 1),
                    };
                    let inner = boxed_if(matches!(&v.ty, TypeRef::Named(n) if n == name), inner);
                    format!("{}::{name}::{}({inner})", self.module, v.name)
                }
                None => self.fail(),
            },
            Some(TypeKind::Alias { target }) if matches!(target, TypeRef::Named(n) if n != name) => self.body(target, indent, depth + 1),
            _ => self.value(ty, "body", indent, depth),
        }
    }
}

fn boxed_if(boxed: bool, value: String) -> String {
    if boxed && value != "Default::default()" {
        format!("Box::new({value})")
    } else {
        value
    }
}

fn prim_value(p: Prim, hint: &str) -> String {
    match p {
        Prim::String => format!("\"{hint}_example\".to_string()"),
        Prim::DateTime | Prim::Date => "Default::default()".to_string(),
        Prim::Binary => "vec![]".to_string(),
        Prim::Bool => "false".to_string(),
        Prim::I32 | Prim::I64 | Prim::U32 | Prim::U64 => "0".to_string(),
        Prim::F32 | Prim::F64 => "0.0".to_string(),
    }
}

//! Stage 3: the parsed spec → [`crate::ir::Api`]. Every Rust name is decided here (through
//! [`crate::naming`]), every list is sorted here, recursion is broken here.

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{
    AdditionalProperties, MediaType, OpenAPI, Parameter, ReferenceOr, Schema, SchemaKind,
    SecurityScheme, StatusCode, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use crate::docs;
use crate::error::{join, Diagnostic, Error};
use crate::ir::*;
use crate::naming::{self, Scope};
use crate::resolve::Resolver;
use crate::validate::template_params;

/// Lowers `spec` (read from `file`) into the IR. Returns the IR and the warnings (constructs
/// that were approximated, each with its pointer).
pub fn lower(file: &str, spec: &OpenAPI) -> Result<(Api, Vec<Diagnostic>), Error> {
    let mut lower = Lower {
        file,
        spec,
        resolver: Resolver::new(file, spec),
        type_scope: Scope::default(),
        components: BTreeMap::new(),
        nullable_components: BTreeSet::new(),
        types: Vec::new(),
        errors: Vec::new(),
        warnings: Vec::new(),
        strip_tags: BTreeMap::new(),
        patterns: std::collections::HashMap::new(),
        property_names: std::collections::HashMap::new(),
    };
    let api = lower.run();
    if lower.errors.is_empty() {
        let mut warnings = lower.warnings;
        warnings.sort();
        warnings.dedup();
        Ok((api, warnings))
    } else {
        let mut diagnostics = lower.errors;
        diagnostics.sort();
        diagnostics.dedup();
        Err(Error { diagnostics })
    }
}

struct Lower<'a> {
    file: &'a str,
    spec: &'a OpenAPI,
    resolver: Resolver<'a>,
    type_scope: Scope,
    /// Component schema name → Rust type name.
    components: BTreeMap<String, String>,
    /// Rust names of components declared `nullable`.
    nullable_components: BTreeSet<String>,
    types: Vec<TypeDef>,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    /// Struct name → discriminator property to drop (it becomes the enum tag).
    strip_tags: BTreeMap<String, String>,
    /// Whether each pattern compiles with the `regex` crate's default limits (as it will at
    /// run time). Cached: specs repeat patterns, and compiling one can take milliseconds.
    patterns: std::collections::HashMap<String, bool>,
    /// Property name → (`snake_case` field name, `UpperCamelCase` type-name part). Property
    /// names repeat across schemas (`id`, `url`...), and case conversion is a fifth of the
    /// lowering time of big specs without this.
    property_names: std::collections::HashMap<&'a str, (String, String)>,
}

/// A schema or a reference, whatever the box.
#[derive(Clone, Copy)]
enum SRef<'a> {
    Ref(&'a str),
    Item(&'a Schema),
}

fn sref<S: Borrow<Schema>>(r: &ReferenceOr<S>) -> SRef<'_> {
    match r {
        ReferenceOr::Reference { reference } => SRef::Ref(reference),
        ReferenceOr::Item(s) => SRef::Item(s.borrow()),
    }
}

/// A uniform view of a schema, whichever `SchemaKind` openapiv3 picked.
struct View<'a> {
    typ: Option<&'a str>,
    format: Option<String>,
    pattern: Option<&'a str>,
    enumeration: Vec<Value>,
    properties: Vec<(&'a str, SRef<'a>)>,
    required: &'a [String],
    additional: Option<&'a AdditionalProperties>,
    items: Option<SRef<'a>>,
    one_of: &'a [ReferenceOr<Schema>],
    any_of: &'a [ReferenceOr<Schema>],
    all_of: &'a [ReferenceOr<Schema>],
    not: bool,
}

impl<'a> View<'a> {
    fn of(s: &'a Schema) -> View<'a> {
        let mut v = View {
            typ: None,
            format: None,
            pattern: None,
            enumeration: Vec::new(),
            properties: Vec::new(),
            required: &[],
            additional: None,
            items: None,
            one_of: &[],
            any_of: &[],
            all_of: &[],
            not: false,
        };
        fn fmt<T: std::fmt::Debug>(f: &VariantOrUnknownOrEmpty<T>) -> Option<String> {
            match f {
                VariantOrUnknownOrEmpty::Item(t) => Some(kebab(&format!("{t:?}"))),
                VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
                VariantOrUnknownOrEmpty::Empty => None,
            }
        }
        match &s.schema_kind {
            SchemaKind::Type(openapiv3::Type::String(t)) => {
                v.typ = Some("string");
                v.format = fmt(&t.format);
                v.pattern = t.pattern.as_deref();
                v.enumeration = t
                    .enumeration
                    .iter()
                    .map(|e| e.clone().map(Value::String).unwrap_or(Value::Null))
                    .collect();
            }
            SchemaKind::Type(openapiv3::Type::Number(t)) => {
                v.typ = Some("number");
                v.format = fmt(&t.format);
                v.enumeration = t
                    .enumeration
                    .iter()
                    .map(|e| e.map(Value::from).unwrap_or(Value::Null))
                    .collect();
            }
            SchemaKind::Type(openapiv3::Type::Integer(t)) => {
                v.typ = Some("integer");
                v.format = fmt(&t.format);
                v.enumeration = t
                    .enumeration
                    .iter()
                    .map(|e| e.map(Value::from).unwrap_or(Value::Null))
                    .collect();
            }
            SchemaKind::Type(openapiv3::Type::Boolean(t)) => {
                v.typ = Some("boolean");
                v.enumeration = t
                    .enumeration
                    .iter()
                    .map(|e| e.map(Value::from).unwrap_or(Value::Null))
                    .collect();
            }
            SchemaKind::Type(openapiv3::Type::Object(t)) => {
                v.typ = Some("object");
                v.properties = t
                    .properties
                    .iter()
                    .map(|(k, p)| (k.as_str(), sref(p)))
                    .collect();
                v.required = &t.required;
                v.additional = t.additional_properties.as_ref();
            }
            SchemaKind::Type(openapiv3::Type::Array(t)) => {
                v.typ = Some("array");
                v.items = t.items.as_ref().map(sref);
            }
            SchemaKind::OneOf { one_of } => v.one_of = one_of,
            SchemaKind::AnyOf { any_of } => v.any_of = any_of,
            SchemaKind::AllOf { all_of } => v.all_of = all_of,
            SchemaKind::Not { .. } => v.not = true,
            SchemaKind::Any(a) => {
                v.typ = a.typ.as_deref();
                v.format = a.format.clone();
                v.pattern = a.pattern.as_deref();
                v.enumeration = a.enumeration.clone();
                v.properties = a
                    .properties
                    .iter()
                    .map(|(k, p)| (k.as_str(), sref(p)))
                    .collect();
                v.required = &a.required;
                v.additional = a.additional_properties.as_ref();
                v.items = a.items.as_ref().map(sref);
                v.one_of = &a.one_of;
                v.any_of = &a.any_of;
                v.all_of = &a.all_of;
                v.not = a.not.is_some();
            }
        }
        v
    }

    /// A schema that constrains nothing about shape (e.g. `{description: ...}` beside a `$ref`
    /// in an `allOf`).
    fn is_trivial(&self) -> bool {
        self.typ.is_none()
            && self.properties.is_empty()
            && self.additional.is_none()
            && self.items.is_none()
            && self.one_of.is_empty()
            && self.any_of.is_empty()
            && self.all_of.is_empty()
            && self.enumeration.is_empty()
            && !self.not
    }
}

fn kebab(debug: &str) -> String {
    // `DateTime` → `date-time`, `Int64` → `int64`.
    let mut out = String::new();
    for (i, c) in debug.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// How a schema becomes Rust.
enum Class<'a> {
    Struct,
    AllOf(Vec<SRef<'a>>),
    StringEnum,
    Pattern,
    Union(Vec<SRef<'a>>, bool),
    Single(SRef<'a>),
    Array(Option<SRef<'a>>),
    Map(&'a ReferenceOr<Schema>),
    Prim(Type),
    Json,
}

impl Class<'_> {
    fn is_named(&self) -> bool {
        matches!(
            self,
            Class::Struct | Class::AllOf(_) | Class::StringEnum | Class::Pattern | Class::Union(..)
        )
    }
}

const TRACKED_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl<'a> Lower<'a> {
    fn error(&mut self, pointer: &str, message: impl Into<String>) {
        self.errors
            .push(Diagnostic::new(self.file, pointer, message));
    }

    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings
            .push(Diagnostic::new(self.file, pointer, message));
    }

    fn run(&mut self) -> Api {
        let spec = self.spec;
        // Component names first, sorted, so they win over inline names.
        let mut schema_names: Vec<&String> = spec
            .components
            .iter()
            .flat_map(|c| c.schemas.keys())
            .collect();
        schema_names.sort();
        for name in &schema_names {
            let rust = self.type_scope.claim(&naming::type_name(name));
            self.components.insert((*name).clone(), rust);
        }
        if let Some(components) = &spec.components {
            for name in &schema_names {
                if let Some(ReferenceOr::Item(s)) = components.schemas.get(*name) {
                    if s.schema_data.nullable {
                        let rust = self.components[*name].clone();
                        self.nullable_components.insert(rust);
                    }
                }
            }
            self.discriminated_variants(&schema_names);
            for name in &schema_names {
                let pointer = join("#/components/schemas", name);
                let rust = self.components[*name].clone();
                if let Some(schema) = components.schemas.get(*name) {
                    self.define(&rust, sref(schema), &pointer);
                }
            }
        }
        let operations = self.operations();
        self.strip_tag_fields();
        self.break_recursion();
        self.types.sort_by(|a, b| a.name.cmp(&b.name));
        let components: BTreeSet<&String> = self.components.values().collect();
        dedup_types(&mut self.types, &components);

        let mut doc = vec![spec.info.title.clone()];
        doc.push(String::new());
        doc.push(format!("API version `{}`.", spec.info.version));
        if let Some(d) = &spec.info.description {
            doc.push(String::new());
            doc.extend(docs::lines(d));
        }
        let servers: Vec<String> = spec.servers.iter().map(server_url).collect();
        Api {
            doc,
            source: self.file.to_string(),
            default_base_url: servers.first().cloned(),
            servers,
            auth: self.auth(),
            types: std::mem::take(&mut self.types),
            operations,
        }
    }

    // ---- types -------------------------------------------------------------------------

    /// Records, before any struct is built, which component schemas are variants of a
    /// discriminated oneOf/anyOf, so their tag property is left out of the struct.
    fn discriminated_variants(&mut self, names: &[&String]) {
        let Some(components) = &self.spec.components else {
            return;
        };
        for name in names {
            let Some(ReferenceOr::Item(s)) = components.schemas.get(*name) else {
                continue;
            };
            let Some(disc) = &s.schema_data.discriminator else {
                continue;
            };
            let view = View::of(s);
            let members = if view.one_of.is_empty() {
                view.any_of
            } else {
                view.one_of
            };
            if !members
                .iter()
                .all(|m| matches!(m, ReferenceOr::Reference { .. }))
            {
                continue;
            }
            for m in members {
                if let ReferenceOr::Reference { reference } = m {
                    if let Some(rust) = self
                        .resolver
                        .component_name(reference, "schemas")
                        .and_then(|c| self.components.get(&c))
                    {
                        self.strip_tags
                            .insert(rust.clone(), disc.property_name.clone());
                    }
                }
            }
        }
    }

    fn classify(&mut self, view: &View<'a>, pointer: &str) -> Class<'a> {
        if !view.all_of.is_empty() {
            let members: Vec<SRef<'a>> = view
                .all_of
                .iter()
                .map(sref)
                .filter(|m| match m {
                    SRef::Ref(_) => true,
                    SRef::Item(s) => !View::of(s).is_trivial(),
                })
                .collect();
            if members.len() == 1 && view.properties.is_empty() {
                return Class::Single(members[0]);
            }
            if !members.is_empty() {
                return Class::AllOf(members);
            }
        }
        let alternatives = if view.one_of.is_empty() {
            view.any_of
        } else {
            view.one_of
        };
        if !alternatives.is_empty() {
            let members: Vec<SRef<'a>> = alternatives
                .iter()
                .map(sref)
                .filter(|m| match m {
                    SRef::Ref(_) => true,
                    SRef::Item(s) => {
                        let v = View::of(s);
                        !(v.is_trivial() || v.typ == Some("null"))
                    }
                })
                .collect();
            match members.len() {
                0 => return Class::Json,
                1 if view.properties.is_empty() => return Class::Single(members[0]),
                _ if view.properties.is_empty() => {
                    return Class::Union(members, view.one_of.is_empty())
                }
                _ => {
                    self.warn(
                        pointer,
                        "properties beside oneOf/anyOf: the alternatives are not represented; only the properties are",
                    );
                }
            }
        }
        if !view.properties.is_empty() {
            return Class::Struct;
        }
        if view.not {
            self.warn(
                pointer,
                "`not` cannot be expressed in Rust types; the value is free-form JSON",
            );
            return Class::Json;
        }
        let strings = view.enumeration.iter().filter(|v| !v.is_null()).count();
        if strings > 0
            && view
                .enumeration
                .iter()
                .all(|v| v.is_string() || v.is_null())
        {
            return Class::StringEnum;
        }
        match view.typ {
            Some("string") => {
                if let Some(pattern) = view.pattern {
                    let compiles = *self
                        .patterns
                        .entry(pattern.to_string())
                        .or_insert_with(|| regex::Regex::new(pattern).is_ok());
                    if compiles {
                        return Class::Pattern;
                    }
                    self.warn(
                        &join(pointer, "pattern"),
                        format!("pattern `{pattern}` uses syntax the `regex` crate does not support (e.g. look-around); the value is a plain String"),
                    );
                }
                Class::Prim(Type::String)
            }
            Some("integer") => Class::Prim(match view.format.as_deref() {
                Some("int32") => Type::I32,
                Some("uint64") | Some("uint") => Type::U64,
                _ => Type::I64,
            }),
            Some("number") => Class::Prim(match view.format.as_deref() {
                Some("float") => Type::F32,
                _ => Type::F64,
            }),
            Some("boolean") => Class::Prim(Type::Bool),
            Some("array") => Class::Array(view.items),
            Some("object") | None => {
                if view.items.is_some() {
                    return Class::Array(view.items);
                }
                match view.additional {
                    Some(AdditionalProperties::Schema(s)) => Class::Map(s),
                    _ => Class::Json,
                }
            }
            Some("null") => Class::Json,
            Some(other) => {
                self.warn(
                    &join(pointer, "type"),
                    format!("unknown type `{other}`; the value is free-form JSON"),
                );
                Class::Json
            }
        }
    }

    /// Defines the named type `name` from a component schema.
    fn define(&mut self, name: &str, schema: SRef<'a>, pointer: &str) {
        let (doc, kind) = match schema {
            SRef::Ref(reference) => {
                let target = self.ref_type(reference, pointer);
                (
                    vec![format!(
                        "An alias of the `{}` schema.",
                        naming::unraw(&type_label(&target))
                    )],
                    TypeKind::Alias { target },
                )
            }
            SRef::Item(s) => {
                let view = View::of(s);
                let class = self.classify(&view, pointer);
                let doc = schema_doc(s, &view, name);
                let kind = if class.is_named() {
                    self.named_kind(name, s, &view, class, pointer)
                } else {
                    let target = self.anonymous(class, name, pointer);
                    let target = if s.schema_data.nullable {
                        optional(target)
                    } else {
                        target
                    };
                    TypeKind::Alias { target }
                };
                (doc, kind)
            }
        };
        self.types.push(TypeDef {
            name: name.to_string(),
            doc,
            kind,
        });
    }

    /// The type of a schema used somewhere (a property, an item, a parameter...). Inline
    /// shapes that need a name get one from `hint`.
    fn schema_type(&mut self, schema: SRef<'a>, hint: &str, pointer: &str) -> Type {
        match schema {
            SRef::Ref(reference) => self.ref_type(reference, pointer),
            SRef::Item(s) => {
                let view = View::of(s);
                let class = self.classify(&view, pointer);
                let ty = if class.is_named() {
                    let name = self.type_scope.claim(&naming::type_name(hint));
                    let doc = schema_doc(s, &view, &name);
                    let kind = self.named_kind(&name, s, &view, class, pointer);
                    self.types.push(TypeDef {
                        name: name.clone(),
                        doc,
                        kind,
                    });
                    Type::Named(name)
                } else {
                    self.anonymous(class, hint, pointer)
                };
                if s.schema_data.nullable {
                    optional(ty)
                } else {
                    ty
                }
            }
        }
    }

    fn ref_type(&mut self, reference: &str, pointer: &str) -> Type {
        match self.resolver.component_name(reference, "schemas") {
            Some(name) if self.components.contains_key(&name) => {
                let rust = self.components[&name].clone();
                if self.nullable_components.contains(&rust) {
                    Type::Option(Box::new(Type::Named(rust)))
                } else {
                    Type::Named(rust)
                }
            }
            _ => {
                match self.resolver.schema(reference, pointer) {
                    Err(d) => self.errors.push(d),
                    Ok(_) => self.error(
                        pointer,
                        format!("`$ref: {reference}` is not a component schema"),
                    ),
                }
                Type::Json
            }
        }
    }

    fn anonymous(&mut self, class: Class<'a>, hint: &str, pointer: &str) -> Type {
        match class {
            Class::Prim(t) => t,
            Class::Json => Type::Json,
            Class::Single(member) => self.schema_type(member, hint, pointer),
            Class::Array(items) => match items {
                Some(items) => {
                    let item =
                        self.schema_type(items, &format!("{hint}Item"), &join(pointer, "items"));
                    Type::Vec(Box::new(item))
                }
                None => Type::Vec(Box::new(Type::Json)),
            },
            Class::Map(value) => {
                let v = self.schema_type(
                    sref(value),
                    &format!("{hint}Value"),
                    &join(pointer, "additionalProperties"),
                );
                Type::Map(Box::new(v))
            }
            Class::Struct
            | Class::AllOf(_)
            | Class::StringEnum
            | Class::Pattern
            | Class::Union(..) => {
                // Named classes never reach here.
                Type::Json
            }
        }
    }

    fn named_kind(
        &mut self,
        name: &str,
        s: &'a Schema,
        view: &View<'a>,
        class: Class<'a>,
        pointer: &str,
    ) -> TypeKind {
        match class {
            Class::Struct => {
                let props = view.properties.clone();
                let required: BTreeSet<&str> = view.required.iter().map(String::as_str).collect();
                self.build_struct(name, &props, &required, view.additional, pointer)
            }
            Class::AllOf(members) => {
                let mut props: Vec<(&'a str, SRef<'a>)> = Vec::new();
                let mut required: BTreeSet<&'a str> = BTreeSet::new();
                let mut additional = None;
                for (i, m) in members.iter().enumerate() {
                    self.collect_all_of(
                        *m,
                        &join(&join(pointer, "allOf"), &i.to_string()),
                        &mut props,
                        &mut required,
                        &mut additional,
                        0,
                    );
                }
                for (k, p) in &view.properties {
                    if !props.iter().any(|(n, _)| n == k) {
                        props.push((k, *p));
                    }
                }
                required.extend(view.required.iter().map(String::as_str));
                self.build_struct(name, &props, &required, additional, pointer)
            }
            Class::StringEnum => {
                let mut scope = Scope::default();
                let mut seen = BTreeSet::new();
                let mut variants = Vec::new();
                for value in view.enumeration.iter().filter_map(Value::as_str) {
                    if seen.insert(value) {
                        variants.push(EnumVariant {
                            name: scope.claim(&naming::variant_name(value)),
                            value: value.to_string(),
                        });
                    }
                }
                let other = catch_all(&mut scope);
                TypeKind::StringEnum { variants, other }
            }
            Class::Pattern => TypeKind::Pattern {
                pattern: view.pattern.unwrap_or_default().to_string(),
            },
            Class::Union(members, any_of) => self.build_union(name, s, members, any_of, pointer),
            _ => TypeKind::Alias { target: Type::Json },
        }
    }

    fn collect_all_of(
        &mut self,
        member: SRef<'a>,
        pointer: &str,
        props: &mut Vec<(&'a str, SRef<'a>)>,
        required: &mut BTreeSet<&'a str>,
        additional: &mut Option<&'a AdditionalProperties>,
        depth: usize,
    ) {
        if depth > 16 {
            self.error(pointer, "allOf nests more than 16 levels deep (a cycle?)");
            return;
        }
        let schema = match member {
            SRef::Item(s) => s,
            SRef::Ref(r) => match self.resolver.schema(r, pointer) {
                Ok((_, resolved)) => match resolved {
                    ReferenceOr::Item(s) => s,
                    ReferenceOr::Reference { reference } => {
                        let next = SRef::Ref(reference);
                        return self.collect_all_of(
                            next,
                            pointer,
                            props,
                            required,
                            additional,
                            depth + 1,
                        );
                    }
                },
                Err(d) => {
                    self.errors.push(d);
                    return;
                }
            },
        };
        let view = View::of(schema);
        for (i, m) in view.all_of.iter().enumerate() {
            self.collect_all_of(
                sref(m),
                &join(&join(pointer, "allOf"), &i.to_string()),
                props,
                required,
                additional,
                depth + 1,
            );
        }
        if !view.one_of.is_empty() || !view.any_of.is_empty() {
            self.warn(
                pointer,
                "an allOf member with oneOf/anyOf: only its properties are merged",
            );
        }
        for (k, p) in &view.properties {
            if !props.iter().any(|(n, _)| n == k) {
                props.push((k, *p));
            }
        }
        required.extend(view.required.iter().map(String::as_str));
        if additional.is_none() {
            *additional = view.additional;
        }
    }

    fn build_struct(
        &mut self,
        name: &str,
        props: &[(&'a str, SRef<'a>)],
        required: &BTreeSet<&str>,
        additional: Option<&'a AdditionalProperties>,
        pointer: &str,
    ) -> TypeKind {
        let mut scope = Scope::default();
        let mut fields = Vec::with_capacity(props.len());
        for (json_name, prop) in props {
            if self
                .strip_tags
                .get(name)
                .is_some_and(|tag| tag == json_name)
            {
                // The discriminator becomes the enum tag; the variant struct does not repeat it.
                continue;
            }
            let (snake, camel) = self.property_names.entry(json_name).or_insert_with(|| {
                (
                    naming::snake_name(json_name),
                    naming::unraw(&naming::type_name(json_name)).to_string(),
                )
            });
            let field_name = scope.claim(snake);
            let hint = format!("{}{camel}", naming::unraw(name));
            let prop_pointer = join(&join(pointer, "properties"), json_name);
            let ty = self.schema_type(*prop, &hint, &prop_pointer);
            let mut doc = match prop {
                SRef::Item(s) => field_doc(s),
                SRef::Ref(r) => match self.resolver.schema_item(
                    &ReferenceOr::Reference {
                        reference: r.to_string(),
                    },
                    &prop_pointer,
                ) {
                    Ok((_, target)) => summary_doc(target),
                    Err(_) => Vec::new(),
                },
            };
            if doc.is_empty() {
                doc.push(format!("The `{json_name}` property."));
            }
            let (ty, presence) = if required.contains(json_name) {
                if matches!(ty, Type::Option(_)) {
                    (ty, Presence::RequiredNullable)
                } else {
                    (ty, Presence::Required)
                }
            } else if matches!(ty, Type::Option(_)) {
                (Type::Option(Box::new(ty)), Presence::OptionalNullable)
            } else {
                (Type::Option(Box::new(ty)), Presence::Optional)
            };
            fields.push(Field {
                name: field_name,
                json_name: json_name.to_string(),
                doc,
                ty,
                presence,
            });
        }
        let additional = match additional {
            Some(AdditionalProperties::Schema(s)) => {
                let ty = self.schema_type(
                    sref(s),
                    &format!("{}Value", naming::unraw(name)),
                    &join(pointer, "additionalProperties"),
                );
                Some((scope.claim("additional_properties"), ty))
            }
            _ => None,
        };
        TypeKind::Struct { fields, additional }
    }

    fn build_union(
        &mut self,
        name: &str,
        s: &'a Schema,
        members: Vec<SRef<'a>>,
        any_of: bool,
        pointer: &str,
    ) -> TypeKind {
        let key = if any_of { "anyOf" } else { "oneOf" };
        if let Some(disc) = &s.schema_data.discriminator {
            if members.iter().all(|m| matches!(m, SRef::Ref(_))) {
                let mut scope = Scope::default();
                let mut variants = Vec::new();
                for m in &members {
                    let SRef::Ref(reference) = m else { continue };
                    let Some(component) = self.resolver.component_name(reference, "schemas") else {
                        self.ref_type(reference, pointer);
                        continue;
                    };
                    let ty = self.ref_type(reference, pointer);
                    let mut tags: Vec<&str> = disc
                        .mapping
                        .iter()
                        .filter(|(_, target)| {
                            *target == reference || target.as_str() == component.as_str()
                        })
                        .map(|(tag, _)| tag.as_str())
                        .collect();
                    if tags.is_empty() {
                        tags.push(component.as_str());
                    }
                    if let Type::Named(rust) = &ty {
                        self.strip_tags
                            .insert(rust.clone(), disc.property_name.clone());
                    }
                    for tag in tags {
                        variants.push(TaggedVariant {
                            name: scope.claim(&naming::variant_name(tag)),
                            tag_value: tag.to_string(),
                            ty: ty.clone(),
                        });
                    }
                }
                let other = catch_all(&mut scope);
                return TypeKind::Tagged {
                    tag: disc.property_name.clone(),
                    variants,
                    other,
                };
            }
            self.warn(
                &join(pointer, "discriminator"),
                "a discriminator over inline schemas is not used; the union is untagged",
            );
        }
        let mut scope = Scope::default();
        let mut variants: Vec<UntaggedVariant> = Vec::new();
        for (i, m) in members.iter().enumerate() {
            let hint = format!("{}Variant{}", naming::unraw(name), i + 1);
            let ty = self.schema_type(*m, &hint, &join(&join(pointer, key), &i.to_string()));
            if variants.iter().any(|v| v.ty == ty) {
                continue;
            }
            let label = naming::type_name(&type_label(&ty));
            variants.push(UntaggedVariant {
                name: scope.claim(&label),
                ty,
            });
        }
        // A free-form variant matches everything: it must be tried last.
        variants.sort_by_key(|v| matches!(v.ty, Type::Json));
        TypeKind::Untagged { variants }
    }

    fn strip_tag_fields(&mut self) {
        for def in &mut self.types {
            if let (Some(tag), TypeKind::Struct { fields, .. }) =
                (self.strip_tags.get(&def.name), &mut def.kind)
            {
                fields.retain(|f| &f.json_name != tag);
            }
        }
    }

    /// Boxes every reference that closes a cycle of by-value containment, so every type has a
    /// finite size. Uses strongly connected components: an edge inside one component is boxed.
    fn break_recursion(&mut self) {
        let index: BTreeMap<String, usize> = self
            .types
            .iter()
            .enumerate()
            .map(|(i, t)| (t.name.clone(), i))
            .collect();
        let mut edges: Vec<Vec<usize>> = vec![Vec::new(); self.types.len()];
        for (i, def) in self.types.iter().enumerate() {
            for ty in direct_types(&def.kind) {
                collect_direct(ty, &mut |n| {
                    if let Some(&j) = index.get(n) {
                        edges[i].push(j);
                    }
                });
            }
        }
        let component = scc(&edges);
        for i in 0..self.types.len() {
            let comp = component[i];
            let boxes = |ty: &mut Type| {
                box_direct(ty, &mut |n| {
                    index.get(n).is_some_and(|&j| component[j] == comp)
                });
            };
            match &mut self.types[i].kind {
                TypeKind::Struct { fields, .. } => fields.iter_mut().for_each(|f| boxes(&mut f.ty)),
                TypeKind::Tagged { variants, .. } => {
                    variants.iter_mut().for_each(|v| boxes(&mut v.ty))
                }
                TypeKind::Untagged { variants } => {
                    variants.iter_mut().for_each(|v| boxes(&mut v.ty))
                }
                TypeKind::Alias { .. } | TypeKind::StringEnum { .. } | TypeKind::Pattern { .. } => {
                }
            }
        }
    }

    // ---- operations --------------------------------------------------------------------

    fn operations(&mut self) -> Vec<Operation> {
        let spec = self.spec;
        let mut found = Vec::new();
        let mut paths: Vec<(&String, &ReferenceOr<openapiv3::PathItem>)> =
            spec.paths.iter().collect();
        paths.sort_by(|a, b| a.0.cmp(b.0));
        for (path, item) in paths {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            for method in TRACKED_METHODS {
                if let Some((_, op)) = item.iter().find(|(m, _)| *m == method) {
                    found.push((path.as_str(), method, item, op));
                }
            }
        }
        let mut op_scope = Scope::with_reserved(&["new", "builder", "base_url", "transport"]);
        let mut out = Vec::with_capacity(found.len());
        for (path, method, item, op) in found {
            let pointer = join(&join("#/paths", path), method);
            let base = match &op.operation_id {
                Some(id) => naming::snake_name(id),
                None => naming::snake_name(&derived_operation_name(method, path)),
            };
            let name = op_scope.claim(&base);
            if let Some(lowered) = self.operation(&name, path, method, item, op, &pointer) {
                out.push(lowered);
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }

    fn operation(
        &mut self,
        name: &str,
        path: &str,
        method: &str,
        item: &'a openapiv3::PathItem,
        op: &'a openapiv3::Operation,
        pointer: &str,
    ) -> Option<Operation> {
        let type_base = naming::unraw(&naming::type_name(naming::unraw(name))).to_string();
        // Parameters: path-item level first, overridden by operation level.
        let path_pointer = join("#/paths", path);
        let mut merged: Vec<(&'a Parameter, String)> = Vec::new();
        let shared = item
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (p, join(&join(&path_pointer, "parameters"), &i.to_string())));
        let own = op
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (p, join(&join(pointer, "parameters"), &i.to_string())));
        for (p, at) in shared.chain(own) {
            match self.resolver.parameter(p, &at) {
                Ok((param, _)) => {
                    let key = (param.parameter_data_ref().name.as_str(), location_of(param));
                    merged.retain(|(q, _)| {
                        (q.parameter_data_ref().name.as_str(), location_of(q)) != key
                    });
                    merged.push((param, at));
                }
                Err(d) => self.errors.push(d),
            }
        }
        let template: Vec<&str> = template_params(path).collect();
        // Path parameters in template order, then the rest in spec order.
        merged.sort_by_key(|(p, _)| match location_of(p) {
            ParamLocation::Path => template
                .iter()
                .position(|t| *t == p.parameter_data_ref().name)
                .unwrap_or(0),
            _ => usize::MAX,
        });

        let mut arg_scope = Scope::with_reserved(&["body", "request", "response"]);
        let mut params = Vec::new();
        for (p, at) in merged {
            let data = p.parameter_data_ref();
            let location = location_of(p);
            if location == ParamLocation::Path && !template.contains(&data.name.as_str()) {
                self.warn(
                    &at,
                    format!(
                        "path parameter `{}` does not appear in the path template `{path}`: ignored",
                        data.name
                    ),
                );
                continue;
            }
            if location == ParamLocation::Header
                && ["accept", "content-type", "authorization"]
                    .contains(&data.name.to_ascii_lowercase().as_str())
            {
                continue;
            }
            let hint = format!(
                "{type_base}{}",
                naming::unraw(&naming::type_name(&data.name))
            );
            let ty = match &data.format {
                openapiv3::ParameterSchemaOrContent::Schema(s) => {
                    self.schema_type(sref(s), &hint, &join(&at, "schema"))
                }
                openapiv3::ParameterSchemaOrContent::Content(content) => {
                    match content.iter().next() {
                        Some((media, m)) => match &m.schema {
                            Some(s) => self.schema_type(
                                sref(s),
                                &hint,
                                &join(&join(&join(&at, "content"), media), "schema"),
                            ),
                            None => Type::String,
                        },
                        None => Type::String,
                    }
                }
            };
            let ty = match ty {
                Type::Option(inner) => *inner,
                other => other,
            };
            let style = match p {
                Parameter::Query { style, .. } => match style {
                    openapiv3::QueryStyle::Form => {
                        if data.explode.unwrap_or(true) {
                            QueryStyle::Repeat
                        } else {
                            QueryStyle::Comma
                        }
                    }
                    openapiv3::QueryStyle::SpaceDelimited => QueryStyle::Space,
                    openapiv3::QueryStyle::PipeDelimited => QueryStyle::Pipe,
                    openapiv3::QueryStyle::DeepObject => QueryStyle::DeepObject,
                },
                _ => QueryStyle::Comma,
            };
            params.push(Param {
                name: arg_scope.claim(&naming::snake_name(&data.name)),
                wire_name: data.name.clone(),
                location,
                ty,
                required: data.required || location == ParamLocation::Path,
                style,
                doc: data.description.clone(),
            });
        }

        // Template names without a declared path parameter: a required string argument.
        for name in &template {
            let declared = params
                .iter()
                .any(|p| p.location == ParamLocation::Path && p.wire_name == *name);
            if !declared {
                self.warn(
                    pointer,
                    format!("path template `{path}` uses `{{{name}}}` but no path parameter `{name}` is declared: it becomes a string argument"),
                );
                params.push(Param {
                    name: arg_scope.claim(&naming::snake_name(name)),
                    wire_name: name.to_string(),
                    location: ParamLocation::Path,
                    ty: Type::String,
                    required: true,
                    style: QueryStyle::Comma,
                    doc: None,
                });
            }
        }
        params.sort_by_key(|p| match p.location {
            ParamLocation::Path => template.iter().position(|t| *t == p.wire_name).unwrap_or(0),
            _ => usize::MAX,
        });

        let body = match &op.request_body {
            None => None,
            Some(b) => match self.resolver.request_body(b, &join(pointer, "requestBody")) {
                Err(d) => {
                    self.errors.push(d);
                    None
                }
                Ok((body, at)) => self.body(body, &type_base, &at),
            },
        };

        let (success, error, accept) = self.responses(op, &type_base, pointer);
        let path_parts = self.path_parts(path, &params, pointer);

        let mut doc = Vec::new();
        if let Some(summary) = &op.summary {
            doc.extend(docs::lines(summary));
        }
        if let Some(description) = &op.description {
            if !doc.is_empty() {
                doc.push(String::new());
            }
            doc.extend(docs::lines(description));
        }
        if !doc.is_empty() {
            doc.push(String::new());
        }
        doc.push(format!("`{} {}`", method.to_ascii_uppercase(), path));
        let scopes = self.scopes(op);
        if !scopes.is_empty() {
            doc.push(String::new());
            let list: Vec<String> = scopes.iter().map(|s| format!("`{s}`")).collect();
            doc.push(format!("Required scopes: {}.", list.join(", ")));
        }
        if op.deprecated {
            doc.push(String::new());
            doc.push("Deprecated.".to_string());
        }
        let documented: Vec<&Param> = params.iter().filter(|p| p.doc.is_some()).collect();
        if !documented.is_empty() {
            doc.push(String::new());
            doc.push("Arguments:".to_string());
            for p in documented {
                let text = docs::lines(p.doc.as_deref().unwrap_or_default()).join(" ");
                doc.push(format!("- `{}`: {}", naming::unraw(&p.name), text));
            }
        }

        Some(Operation {
            name: name.to_string(),
            doc,
            method: method.to_ascii_uppercase(),
            path: path.to_string(),
            path_parts,
            params,
            body,
            accept,
            success,
            error,
            idempotent: matches!(
                method,
                "get" | "head" | "put" | "delete" | "options" | "trace"
            ),
        })
    }

    fn path_parts(&mut self, path: &str, params: &[Param], pointer: &str) -> Vec<PathPart> {
        let mut parts = Vec::new();
        let mut rest = path;
        while let Some(start) = rest.find('{') {
            let Some(len) = rest[start..].find('}') else {
                break;
            };
            if start > 0 {
                parts.push(PathPart::Literal(rest[..start].to_string()));
            }
            let name = &rest[start + 1..start + len];
            match params
                .iter()
                .position(|p| p.location == ParamLocation::Path && p.wire_name == name)
            {
                Some(i) => parts.push(PathPart::Param(i)),
                None => self.error(pointer, format!("path parameter `{name}` is not declared")),
            }
            rest = &rest[start + len + 1..];
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_string()));
        }
        parts
    }

    fn body(
        &mut self,
        body: &'a openapiv3::RequestBody,
        type_base: &str,
        pointer: &str,
    ) -> Option<Body> {
        let (media, m) = pick_media(body.content.iter())?;
        let encoding = body_encoding(media);
        let at = join(&join(pointer, "content"), media);
        let ty = match encoding {
            BodyEncoding::Binary => Type::Bytes,
            BodyEncoding::Text => Type::String,
            _ => match &m.schema {
                Some(s) => {
                    self.schema_type(sref(s), &format!("{type_base}Body"), &join(&at, "schema"))
                }
                None => Type::Json,
            },
        };
        let ty = match ty {
            Type::Option(inner) => *inner,
            other => other,
        };
        if encoding == BodyEncoding::Multipart {
            self.warn(&at, "multipart/form-data is sent with one text part per top-level field (JSON for non-strings)");
        }
        Some(Body {
            ty,
            required: body.required,
            content_type: media.to_string(),
            encoding,
        })
    }

    fn responses(
        &mut self,
        op: &'a openapiv3::Operation,
        type_base: &str,
        pointer: &str,
    ) -> (Outcome, Outcome, Option<String>) {
        let responses_pointer = join(pointer, "responses");
        let mut entries: Vec<(StatusMatch, &'a ReferenceOr<openapiv3::Response>, String)> =
            Vec::new();
        for (status, r) in &op.responses.responses {
            let (m, key) = match status {
                StatusCode::Code(c) => (StatusMatch::Code(*c), c.to_string()),
                StatusCode::Range(r) => (StatusMatch::Range(*r), format!("{r}XX")),
            };
            entries.push((m, r, join(&responses_pointer, &key)));
        }
        if let Some(d) = &op.responses.default {
            entries.push((StatusMatch::Default, d, join(&responses_pointer, "default")));
        }
        entries.sort_by_key(|e| e.0);
        let has_success = entries.iter().any(|(m, ..)| is_success(*m));
        let success_count = entries
            .iter()
            .filter(|(m, ..)| is_success(*m) || (*m == StatusMatch::Default && !has_success))
            .count();
        let error_count = entries.len() - entries.iter().filter(|(m, ..)| is_success(*m)).count();

        let mut accept: Vec<String> = Vec::new();
        let mut success = Vec::new();
        let mut error = Vec::new();
        for (status, r, at) in entries {
            let (response, at) = match self.resolver.response(r, &at) {
                Ok(found) => found,
                Err(d) => {
                    self.errors.push(d);
                    continue;
                }
            };
            for media in response.content.keys() {
                if !accept.contains(media) {
                    accept.push(media.clone());
                }
            }
            let ok = is_success(status) || (status == StatusMatch::Default && !has_success);
            // Inline body types: `{Op}Response`/`{Op}Error` when alone on their side, else
            // `{Op}{Status}Response`/`{Op}{Status}Error`; the bare names are then free for the
            // enum over the statuses.
            let (side, alone) = if ok {
                ("Response", success_count <= 1)
            } else {
                ("Error", error_count <= 1)
            };
            let hint = if alone {
                format!("{type_base}{side}")
            } else {
                format!("{type_base}{}{side}", status_variant(status))
            };
            let (decode, ty) = match pick_media(response.content.iter()) {
                None => (Decode::Empty, Type::Unit),
                Some((media, m)) => match body_encoding(media) {
                    BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart => {
                        let ty = match &m.schema {
                            Some(s) => self.schema_type(
                                sref(s),
                                &hint,
                                &join(&join(&join(&at, "content"), media), "schema"),
                            ),
                            None => Type::Json,
                        };
                        (Decode::Json, ty)
                    }
                    BodyEncoding::Text => (Decode::Text, Type::String),
                    BodyEncoding::Binary => (Decode::Bytes, Type::Bytes),
                },
            };
            let case = ResponseCase {
                status,
                decode,
                ty,
                variant: status_variant(status),
            };
            if status == StatusMatch::Default && !has_success {
                // A lone `default` describes every outcome: 2xx is success, the rest errors.
                success.push(ResponseCase {
                    status: StatusMatch::Range(2),
                    ..case.clone()
                });
                error.push(case);
            } else if ok {
                success.push(case);
            } else {
                error.push(case);
            }
        }
        let success = self.outcome(success, &format!("{type_base}Response"));
        let error = self.outcome(error, &format!("{type_base}Error"));
        let accept = (!accept.is_empty()).then(|| accept.join(", "));
        (success, error, accept)
    }

    fn outcome(&mut self, cases: Vec<ResponseCase>, enum_hint: &str) -> Outcome {
        let first = cases.first().map(|c| c.ty.clone()).unwrap_or(Type::Unit);
        if cases.iter().all(|c| c.ty == first) {
            return Outcome {
                ty: first,
                enum_name: None,
                cases,
            };
        }
        let name = self.type_scope.claim(&naming::type_name(enum_hint));
        let mut scope = Scope::default();
        let cases = cases
            .into_iter()
            .map(|c| ResponseCase {
                variant: scope.claim(&c.variant),
                ..c
            })
            .collect();
        Outcome {
            ty: Type::Named(name.clone()),
            enum_name: Some(name),
            cases,
        }
    }

    fn scopes(&self, op: &openapiv3::Operation) -> Vec<String> {
        if let Some(Value::Array(list)) = op.extensions.get("x-required-scopes") {
            return list
                .iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect();
        }
        let security = op.security.as_ref().or(self.spec.security.as_ref());
        let mut scopes: Vec<String> = security
            .into_iter()
            .flatten()
            .flat_map(|req| req.values().flatten().cloned())
            .collect();
        scopes.sort();
        scopes.dedup();
        scopes
    }

    fn auth(&self) -> Auth {
        let Some(components) = &self.spec.components else {
            return Auth::None;
        };
        let mut requirements = self.spec.security.iter().flatten().collect::<Vec<_>>();
        for (_, item) in self.spec.paths.iter() {
            if let ReferenceOr::Item(item) = item {
                for (_, op) in item.iter() {
                    requirements.extend(op.security.iter().flatten());
                }
            }
        }
        for req in requirements {
            for name in req.keys() {
                let Some(ReferenceOr::Item(scheme)) = components.security_schemes.get(name) else {
                    continue;
                };
                return match scheme {
                    SecurityScheme::APIKey { location, name, .. } => match location {
                        openapiv3::APIKeyLocation::Header => Auth::ApiKeyHeader(name.clone()),
                        openapiv3::APIKeyLocation::Query => Auth::ApiKeyQuery(name.clone()),
                        openapiv3::APIKeyLocation::Cookie => Auth::ApiKeyCookie(name.clone()),
                    },
                    SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("basic") => {
                        Auth::Basic
                    }
                    _ => Auth::Bearer,
                };
            }
        }
        Auth::None
    }
}

/// Makes every inline type that is structurally identical to an earlier type (by name) an
/// alias of it. Real specs repeat inline shapes (GitHub's has 3,304 inline string enums with
/// 543 distinct value sets); an alias keeps each name in the API at no compile cost. Named
/// component schemas are never turned into aliases: their names were chosen on purpose.
fn dedup_types(types: &mut [TypeDef], components: &BTreeSet<&String>) {
    let mut first: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for def in types.iter_mut() {
        let Some(key) = shape_key(&def.kind) else {
            continue;
        };
        match first.get(&key) {
            Some(canonical) if !components.contains(&def.name) => {
                def.kind = TypeKind::Alias {
                    target: Type::Named(canonical.clone()),
                };
            }
            Some(_) => {}
            None => {
                first.insert(key, def.name.clone());
            }
        }
    }
}

/// What makes two named types interchangeable: everything but their names and docs.
fn shape_key(kind: &TypeKind) -> Option<String> {
    use std::fmt::Write as _;
    let mut key = String::new();
    match kind {
        TypeKind::Struct { fields, additional } => {
            key.push('S');
            for f in fields {
                let _ = write!(
                    key,
                    "|{}:{}:{:?}:{:?}",
                    f.name, f.json_name, f.presence, f.ty
                );
            }
            let _ = write!(key, "|+{additional:?}");
        }
        TypeKind::StringEnum { variants, other } => {
            key.push('E');
            for v in variants {
                let _ = write!(key, "|{}={}", v.name, v.value);
            }
            let _ = write!(key, "|*{other}");
        }
        TypeKind::Tagged {
            tag,
            variants,
            other,
        } => {
            let _ = write!(key, "T{tag}");
            for v in variants {
                let _ = write!(key, "|{}={}:{:?}", v.name, v.tag_value, v.ty);
            }
            let _ = write!(key, "|*{other}");
        }
        TypeKind::Untagged { variants } => {
            key.push('U');
            for v in variants {
                let _ = write!(key, "|{}:{:?}", v.name, v.ty);
            }
        }
        TypeKind::Pattern { pattern } => {
            let _ = write!(key, "P{pattern}");
        }
        // An alias is already as cheap as it gets.
        TypeKind::Alias { .. } => return None,
    }
    Some(key)
}

/// The catch-all variant of an open enum: `Unknown`, or `Other` when a value took `Unknown`.
fn catch_all(scope: &mut Scope) -> String {
    let mut probe = scope.clone();
    if probe.claim("Unknown") == "Unknown" {
        scope.claim("Unknown")
    } else {
        scope.claim("Other")
    }
}

fn optional(ty: Type) -> Type {
    match ty {
        Type::Option(_) => ty,
        other => Type::Option(Box::new(other)),
    }
}

fn is_success(status: StatusMatch) -> bool {
    match status {
        StatusMatch::Code(c) => c < 400,
        StatusMatch::Range(r) => r < 4,
        StatusMatch::Default => false,
    }
}

fn status_variant(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(c) => match c {
            200 => "Ok".into(),
            201 => "Created".into(),
            202 => "Accepted".into(),
            203 => "NonAuthoritativeInformation".into(),
            204 => "NoContent".into(),
            206 => "PartialContent".into(),
            301 => "MovedPermanently".into(),
            302 => "Found".into(),
            303 => "SeeOther".into(),
            304 => "NotModified".into(),
            400 => "BadRequest".into(),
            401 => "Unauthorized".into(),
            403 => "Forbidden".into(),
            404 => "NotFound".into(),
            409 => "Conflict".into(),
            410 => "Gone".into(),
            422 => "UnprocessableEntity".into(),
            429 => "TooManyRequests".into(),
            500 => "InternalServerError".into(),
            502 => "BadGateway".into(),
            503 => "ServiceUnavailable".into(),
            other => format!("Status{other}"),
        },
        StatusMatch::Range(r) => format!("Status{r}xx"),
        StatusMatch::Default => "Default".into(),
    }
}

fn location_of(p: &Parameter) -> ParamLocation {
    match p {
        Parameter::Path { .. } => ParamLocation::Path,
        Parameter::Query { .. } => ParamLocation::Query,
        Parameter::Header { .. } => ParamLocation::Header,
        Parameter::Cookie { .. } => ParamLocation::Cookie,
    }
}

/// `GET /workspaces/{workspace}/distributions` → `get workspaces by workspace distributions`.
fn derived_operation_name(method: &str, path: &str) -> String {
    let mut out = method.to_string();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        out.push(' ');
        if let Some(param) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            out.push_str("by ");
            out.push_str(param);
        } else {
            out.push_str(segment);
        }
    }
    out
}

fn body_encoding(media: &str) -> BodyEncoding {
    let media = media
        .split(';')
        .next()
        .unwrap_or(media)
        .trim()
        .to_ascii_lowercase();
    if media == "application/json"
        || media.ends_with("+json")
        || media == "*/*"
        || media == "application/*"
        || media.ends_with("/json")
    {
        BodyEncoding::Json
    } else if media == "application/x-www-form-urlencoded" {
        BodyEncoding::Form
    } else if media == "multipart/form-data" {
        BodyEncoding::Multipart
    } else if media.starts_with("text/") {
        BodyEncoding::Text
    } else {
        BodyEncoding::Binary
    }
}

/// The media type we use out of several: JSON first, then form, multipart, text, bytes.
fn pick_media<'m>(
    content: impl Iterator<Item = (&'m String, &'m MediaType)>,
) -> Option<(&'m str, &'m MediaType)> {
    content
        .map(|(k, v)| (k.as_str(), v))
        .min_by_key(|(k, _)| match body_encoding(k) {
            BodyEncoding::Json => 0,
            BodyEncoding::Form => 1,
            BodyEncoding::Multipart => 2,
            BodyEncoding::Text => 3,
            BodyEncoding::Binary => 4,
        })
}

fn server_url(server: &openapiv3::Server) -> String {
    let mut url = server.url.clone();
    if let Some(vars) = &server.variables {
        for (name, var) in vars {
            url = url.replace(&format!("{{{name}}}"), &var.default);
        }
    }
    url
}

/// A short name for a type, used to name union variants and aliases.
fn type_label(ty: &Type) -> String {
    match ty {
        Type::String => "String".into(),
        Type::Bool => "Boolean".into(),
        Type::I32 | Type::I64 | Type::U64 => "Integer".into(),
        Type::F32 | Type::F64 => "Number".into(),
        Type::Json => "Value".into(),
        Type::Bytes => "Bytes".into(),
        Type::Unit => "Empty".into(),
        Type::Named(n) => naming::unraw(n).to_string(),
        Type::Vec(inner) => format!("{}List", type_label(inner)),
        Type::Map(inner) => format!("{}Map", type_label(inner)),
        Type::Option(inner) | Type::Boxed(inner) => type_label(inner),
    }
}

fn schema_doc(s: &Schema, view: &View<'_>, name: &str) -> Vec<String> {
    let mut doc = Vec::new();
    if let Some(title) = &s.schema_data.title {
        if naming::type_name(title) != name {
            doc.extend(docs::lines(title));
        }
    }
    if let Some(d) = &s.schema_data.description {
        if !doc.is_empty() {
            doc.push(String::new());
        }
        doc.extend(docs::lines(d));
    }
    let facts = facts(s, view);
    if !facts.is_empty() {
        if !doc.is_empty() {
            doc.push(String::new());
        }
        doc.extend(facts);
    }
    if doc.is_empty() {
        doc.push(format!("The `{}` schema.", naming::unraw(name)));
    }
    doc
}

/// The first paragraph of a referenced schema's description, for the fields that use it.
fn summary_doc(s: &Schema) -> Vec<String> {
    let Some(d) = s
        .schema_data
        .description
        .as_ref()
        .or(s.schema_data.title.as_ref())
    else {
        return Vec::new();
    };
    docs::lines(d)
        .into_iter()
        .take_while(|l| !l.is_empty())
        .collect()
}

fn field_doc(s: &Schema) -> Vec<String> {
    let view = View::of(s);
    let mut doc = Vec::new();
    if let Some(d) = s
        .schema_data
        .description
        .as_ref()
        .or(s.schema_data.title.as_ref())
    {
        doc.extend(docs::lines(d));
    }
    let facts = facts(s, &view);
    if !facts.is_empty() {
        if !doc.is_empty() {
            doc.push(String::new());
        }
        doc.extend(facts);
    }
    doc
}

/// Notable facts that the Rust type does not show: format, pattern, read-only, example.
fn facts(s: &Schema, view: &View<'_>) -> Vec<String> {
    let mut out = Vec::new();
    if s.schema_data.read_only {
        out.push("Read-only: set by the server.".to_string());
    }
    if s.schema_data.write_only {
        out.push("Write-only: never returned by the server.".to_string());
    }
    if let Some(format) = &view.format {
        out.push(format!("Format: `{}`.", format.replace('`', "'")));
    }
    if let Some(pattern) = view.pattern {
        out.push(format!("Pattern: `{}`.", pattern.replace('`', "'")));
    }
    let non_string_enum = !view.enumeration.is_empty()
        && !view
            .enumeration
            .iter()
            .all(|v| v.is_string() || v.is_null());
    if non_string_enum {
        let values: Vec<String> = view.enumeration.iter().map(Value::to_string).collect();
        out.push(format!(
            "Allowed values: `{}`.",
            values
                .join("`, `")
                .replace('`', "'")
                .replace("', '", "`, `")
        ));
    }
    if let Some(default) = &s.schema_data.default {
        let text = default.to_string();
        if text.len() <= 120 {
            out.push(format!("Default: `{}`.", text.replace('`', "'")));
        }
    }
    if let Some(example) = &s.schema_data.example {
        let text = example.to_string();
        if text.len() <= 120 {
            out.push(format!("Example: `{}`.", text.replace('`', "'")));
        }
    }
    if s.schema_data.deprecated {
        out.push("Deprecated.".to_string());
    }
    out
}

/// The types a definition holds by value (not behind `Vec` or a map).
fn direct_types(kind: &TypeKind) -> Vec<&Type> {
    match kind {
        TypeKind::Struct { fields, .. } => fields.iter().map(|f| &f.ty).collect(),
        TypeKind::Tagged { variants, .. } => variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Untagged { variants } => variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Alias { target } => vec![target],
        TypeKind::StringEnum { .. } | TypeKind::Pattern { .. } => Vec::new(),
    }
}

fn collect_direct(ty: &Type, found: &mut impl FnMut(&str)) {
    match ty {
        Type::Named(n) => found(n),
        Type::Option(inner) => collect_direct(inner, found),
        _ => {}
    }
}

fn box_direct(ty: &mut Type, same_component: &mut impl FnMut(&str) -> bool) {
    match ty {
        Type::Named(n) if same_component(n) => {
            *ty = Type::Boxed(Box::new(Type::Named(n.clone())));
        }
        Type::Option(inner) => box_direct(inner, same_component),
        _ => {}
    }
}

/// Tarjan's strongly connected components; returns the component index of every node.
/// Iterative, so deep type graphs cannot overflow the stack.
fn scc(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![usize::MAX; n];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut child)) = work.last_mut() {
            if *child == 0 && index[v] == usize::MAX {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(*child) {
                *child += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    // A node alone in its component is only recursive through a self-edge; mark others
    // distinct so `component[i] == component[j]` means "i and j are in one cycle".
    let mut sizes = vec![0usize; next_component];
    for &c in &component {
        sizes[c] += 1;
    }
    component
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if sizes[c] == 1 && !edges[i].contains(&i) {
                usize::MAX - i
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scc_finds_cycles() {
        // 0 → 1 → 2 → 0, 3 → 3, 4 → 0
        let edges = vec![vec![1], vec![2], vec![0], vec![3], vec![0]];
        let c = scc(&edges);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[3], c[0]);
        assert_ne!(c[4], c[0]);
        assert_ne!(c[4], c[3]);
    }

    #[test]
    fn derived_names() {
        assert_eq!(
            naming::snake_name(&derived_operation_name("get", "/pets/{petId}/toys")),
            "get_pets_by_pet_id_toys"
        );
    }
}

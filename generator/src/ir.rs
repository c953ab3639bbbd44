//! The intermediate representation: what the emitters see.
//!
//! Every name here is final (decided by [`crate::naming`] during lowering) and every list is in
//! output order, so emitting is a plain walk with no decisions about names or order.

/// One API: its types and the operations of its client.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// Module-level documentation lines (title, version, description).
    pub doc: Vec<String>,
    /// The spec file the module is generated from, e.g. `spec/buddy.yaml`.
    pub source: String,
    /// The first server URL, if any, its variables at their defaults.
    pub default_base_url: Option<String>,
    /// The first server, when its URL has variables (which the builder can set).
    pub default_server: Option<Server>,
    /// All server URLs, for documentation.
    pub servers: Vec<String>,
    /// How the client authenticates.
    pub auth: Auth,
    /// The further API keys the spec requires together with [`Api::auth`] (a security
    /// requirement naming several schemes): the client names each for
    /// `ClientBuilder::api_key`.
    pub keys: Vec<ApiKey>,
    /// Named types, sorted by name.
    pub types: Vec<TypeDef>,
    /// Operations, sorted by function name.
    pub operations: Vec<Operation>,
    /// The request bodies that are structs with required fields: they get a constructor
    /// over those and setters for the optional ones.
    pub inputs: std::collections::BTreeSet<String>,
    /// Setters shared by every operation with an optional parameter of that name, sorted by
    /// name (a big API repeats `per_page` hundreds of times: one generic setter, and a
    /// trait implemented by each operation's options type, cost less than a setter each).
    pub shared_setters: Vec<SharedSetter>,
}

/// A setter shared by the operations whose optional parameter has its name, wire name,
/// location, style and shape.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedSetter {
    /// The setter's name (the parameters' Rust name).
    pub name: String,
    /// The trait the options types of those operations implement, in `calls::params`.
    pub trait_name: String,
    /// The wire name.
    pub wire_name: String,
    /// Where the parameter goes.
    pub location: ParamLocation,
    /// How a query parameter is serialized.
    pub style: QueryStyle,
    /// The value's type, when every operation has the same; else each operation's is an
    /// associated type (`Value`, or `Item` for arrays).
    pub ty: Option<Type>,
    /// Whether the value is an array (the setter takes any iterable).
    pub array: bool,
    /// The description, when every operation gives the same.
    pub doc: Option<String>,
}

/// A server of the spec: a URL template and its variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// The URL as written, `{variable}`s included.
    pub url: String,
    /// Each variable's name and default, in the spec's order.
    pub variables: Vec<(String, String)>,
}

/// The authentication the client sends with every request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// No security scheme applies.
    None,
    /// `Authorization: Bearer TOKEN`.
    Bearer,
    /// `Authorization: Basic ...` from a pre-encoded credential.
    Basic,
    /// An API key in the named header.
    ApiKeyHeader(String),
    /// An API key in the named query parameter.
    ApiKeyQuery(String),
    /// An API key in the named cookie.
    ApiKeyCookie(String),
}

/// An API key the spec requires together with the client's token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    /// The associated constant of `Client` naming it, e.g. `CLIENT_ID`.
    pub name: String,
    /// The security scheme's name in the spec.
    pub scheme: String,
    /// Where it is sent: one of the `ApiKey*` variants.
    pub auth: Auth,
}

/// A named Rust type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The final Rust name.
    pub name: String,
    /// Documentation lines.
    pub doc: Vec<String>,
    /// What kind of type it is.
    pub kind: TypeKind,
}

/// The shapes of named types.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// A struct with named fields, optionally with a map of the remaining properties.
    Struct {
        /// Fields in output order.
        fields: Vec<Field>,
        /// `additionalProperties` beside declared properties: the Rust field name of the
        /// flattened map and its value type.
        additional: Option<(String, Type)>,
        /// The tag property of the tagged unions this struct is a variant of, left out of
        /// its fields (the union writes it): decoding skips it wherever the struct is read.
        tag: Option<String>,
    },
    /// A string enum with an `Unknown(String)` catch-all.
    StringEnum {
        /// Known values.
        variants: Vec<EnumVariant>,
        /// The name of the catch-all variant holding values this client does not know.
        other: String,
    },
    /// An internally tagged union (oneOf with a discriminator) with an `Unknown` fallback.
    Tagged {
        /// The JSON property holding the tag.
        tag: String,
        /// Known variants.
        variants: Vec<TaggedVariant>,
        /// The name of the catch-all variant holding objects with an unknown tag.
        other: String,
    },
    /// An untagged union (oneOf/anyOf without a discriminator): the first variant that
    /// deserializes wins.
    Untagged {
        /// Variants, most specific first.
        variants: Vec<UntaggedVariant>,
    },
    /// A string validated against a regular expression.
    Pattern {
        /// The ECMA-262 pattern from the spec, compiled with the `regex` crate.
        pattern: String,
    },
    /// A type alias (`pub type Name = Target;`).
    Alias {
        /// The aliased type.
        target: Type,
    },
}

/// A struct field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The Rust name (may be a raw identifier).
    pub name: String,
    /// The JSON property name.
    pub json_name: String,
    /// Documentation lines.
    pub doc: Vec<String>,
    /// The field type, already wrapped in `Option`/`Box` as needed.
    pub ty: Type,
    /// How absence is handled.
    pub presence: Presence,
}

/// True when a struct with these fields derives `Default`: every field is optional or has a
/// natural "not set" value. The emitter and the change report ([`crate::diff`]) both ask.
pub fn derives_default(fields: &[Field]) -> bool {
    fields.iter().all(|f| {
        matches!(f.presence, Presence::Optional | Presence::OptionalNullable) || f.ty.has_default()
    })
}

/// How a field relates to the JSON property's presence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Required and not nullable: plain `T`.
    Required,
    /// Required but nullable: `Option<T>`, always serialized (as `null` when `None`).
    RequiredNullable,
    /// Optional: `Option<T>`, omitted when `None`.
    Optional,
    /// Optional and nullable: `Option<Option<T>>`, so absent (`None`) and `null`
    /// (`Some(None)`) stay distinct and round-trip unchanged.
    OptionalNullable,
}

/// A string enum value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumVariant {
    /// The Rust variant name.
    pub name: String,
    /// The JSON value.
    pub value: String,
}

/// A variant of a tagged union.
#[derive(Debug, Clone, PartialEq)]
pub struct TaggedVariant {
    /// The Rust variant name.
    pub name: String,
    /// The tag value selecting this variant.
    pub tag_value: String,
    /// The payload type (a struct without the tag property).
    pub ty: Type,
}

/// A variant of an untagged union.
#[derive(Debug, Clone, PartialEq)]
pub struct UntaggedVariant {
    /// The Rust variant name.
    pub name: String,
    /// Documentation lines: what JSON the variant takes.
    pub doc: Vec<String>,
    /// The payload type.
    pub ty: Type,
}

/// A Rust type expression.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Type {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `u64`.
    U64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `serde_json::Value` (free-form).
    Json,
    /// `bytes::Bytes` (binary).
    Bytes,
    /// The runtime's `FilePart` (`type: string, format: binary`: bytes with a file name and
    /// a content type), re-exported by the types module under its own name.
    File,
    /// `()` (no content).
    Unit,
    /// A named type in the `types` module.
    Named(String),
    /// `Vec<T>`.
    Vec(Box<Type>),
    /// `BTreeMap<String, T>`.
    Map(Box<Type>),
    /// `Option<T>`.
    Option(Box<Type>),
    /// `Box<T>` (breaks recursion).
    Boxed(Box<Type>),
}

impl Api {
    /// Whether any type, parameter or body is a file (`Type::File`): the types module then
    /// re-exports the runtime's `FilePart`.
    pub fn uses_files(&self) -> bool {
        let types = self.types.iter().any(|def| match &def.kind {
            TypeKind::Struct {
                fields, additional, ..
            } => {
                fields.iter().any(|f| f.ty.mentions_file())
                    || additional.as_ref().is_some_and(|(_, t)| t.mentions_file())
            }
            TypeKind::Tagged { variants, .. } => variants.iter().any(|v| v.ty.mentions_file()),
            TypeKind::Untagged { variants } => variants.iter().any(|v| v.ty.mentions_file()),
            TypeKind::Alias { target } => target.mentions_file(),
            TypeKind::StringEnum { .. } | TypeKind::Pattern { .. } => false,
        });
        types
            || self.operations.iter().any(|op| {
                op.params.iter().any(|p| p.ty.mentions_file())
                    || op.body.as_ref().is_some_and(|b| b.ty.mentions_file())
                    || op.success.cases.iter().any(|c| c.ty.mentions_file())
                    || op.error.cases.iter().any(|c| c.ty.mentions_file())
            })
    }
}

impl Type {
    /// Whether the type is, or contains, `Type::File`.
    pub fn mentions_file(&self) -> bool {
        match self {
            Type::File => true,
            Type::Vec(inner) | Type::Map(inner) | Type::Option(inner) | Type::Boxed(inner) => {
                inner.mentions_file()
            }
            _ => false,
        }
    }

    /// The type inside its `Box`, if it is one.
    pub fn unboxed(&self) -> &Type {
        match self {
            Type::Boxed(inner) => inner,
            other => other,
        }
    }

    /// The type inside its `Option`s and `Box`es.
    pub fn strip_option(&self) -> &Type {
        match self {
            Type::Option(inner) | Type::Boxed(inner) => inner.strip_option(),
            other => other,
        }
    }

    /// True when the type's `Default` is a natural "not set" value, so a struct made only of
    /// such fields can derive `Default`.
    pub fn has_default(&self) -> bool {
        matches!(
            self,
            Type::Option(_) | Type::Vec(_) | Type::Map(_) | Type::Json
        )
    }
}

/// One client method.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The Rust method name.
    pub name: String,
    /// Documentation lines.
    pub doc: Vec<String>,
    /// The HTTP method, upper case.
    pub method: String,
    /// The path template as written in the spec, e.g. `/workspaces/{workspace}`.
    pub path: String,
    /// The path split into literal text and parameter references.
    pub path_parts: Vec<PathPart>,
    /// Parameters in signature order.
    pub params: Vec<Param>,
    /// The request body, if any.
    pub body: Option<Body>,
    /// The `Accept` header value.
    pub accept: Option<String>,
    /// What this method is a variant of: another representation of an operation's
    /// successes, or another media type of its request body.
    pub variant_of: Option<Variant>,
    /// What a successful call returns.
    pub success: Outcome,
    /// What a documented error status carries.
    pub error: Outcome,
    /// Whether the method is idempotent (retried by default).
    pub idempotent: bool,
    /// The operation's own server (`servers` on the operation or its path), when it is not
    /// the API's first one.
    pub server: Option<Server>,
    /// The header the operation documents for an idempotency key (`Idempotency-Key`): the
    /// client sends a new key per call unless the caller gives one, and retries the call.
    pub idempotency_key: Option<String>,
    /// The operation's options type in the `calls` module, when its call has setters
    /// (optional parameters, an optional body) or pages: the second parameter of the
    /// `Call` the method returns.
    pub options: Option<String>,
    /// How the operation's pages are walked, when it is recognised as paginated.
    pub pagination: Option<Pagination>,
}

impl Operation {
    /// Whether the call sets the body with a setter (an optional body), rather than taking
    /// it as an argument.
    pub fn body_setter(&self) -> bool {
        self.body
            .as_ref()
            .is_some_and(|b| !b.required && b.encoding != BodyEncoding::Binary)
    }

    /// The optional parameters: setters on the call.
    pub fn setters(&self) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(|p| !p.required)
    }
}

/// A paginated operation: how the next page is asked for and where the items are.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// How the next page is requested.
    pub paging: Paging,
    /// The rule that recognised the operation (for documentation and corpus counts).
    pub rule: PagingRule,
    /// The item type.
    pub item: Type,
    /// The fields from a page to its array of items; empty when the page is the array.
    pub items: Vec<Step>,
    /// Where the next cursor or URL is in a page, for [`Paging::Cursor`] and
    /// [`Paging::NextUrl`].
    pub next: Option<NextPage>,
    /// The variant of the operation's enum of successes that holds a page (the others, such
    /// as a `301`, end the walk); `None` when the success type is the page.
    pub variant: Option<String>,
}

/// How the next page is requested (the runtime's `Paging`). Names are wire names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Paging {
    /// The `Link` header's `rel="next"` URL.
    Link,
    /// A URL in the body.
    NextUrl,
    /// A cursor in the body, sent in this query parameter.
    Cursor(String),
    /// A page number in this query parameter, from `first`.
    Page {
        /// The query parameter.
        param: String,
        /// The first page's number.
        first: i64,
    },
    /// An offset in this query parameter.
    Offset(String),
}

/// Which rule recognised a paginated operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PagingRule {
    /// The response documents a `Link` header.
    LinkHeader,
    /// A cursor parameter and a next cursor (or `has_more`) in the response.
    Cursor,
    /// A `page` parameter.
    PageNumber,
    /// An `offset` parameter beside `limit`.
    Offset,
    /// `x-ms-pageable`.
    MsPageable,
    /// `x-speakeasy-pagination`.
    Speakeasy,
    /// `x-fern-pagination`.
    Fern,
    /// `x-dropshot-pagination`.
    Dropshot,
}

impl PagingRule {
    /// How reports name the rule.
    pub fn label(self) -> &'static str {
        match self {
            PagingRule::LinkHeader => "`Link` header",
            PagingRule::Cursor => "cursor parameter and next cursor (or `has_more`)",
            PagingRule::PageNumber => "`page` parameter",
            PagingRule::Offset => "`offset` and `limit` parameters",
            PagingRule::MsPageable => "`x-ms-pageable`",
            PagingRule::Speakeasy => "`x-speakeasy-pagination`",
            PagingRule::Fern => "`x-fern-pagination`",
            PagingRule::Dropshot => "`x-dropshot-pagination`",
        }
    }
}

/// Where the next page's cursor or URL is found in a page.
#[derive(Debug, Clone, PartialEq)]
pub enum NextPage {
    /// In this field (a string or an integer), through these fields.
    Field(Vec<Step>),
    /// The `id` of the page's last item (Stripe's `starting_after`), while the boolean at
    /// `has_more` is true.
    LastItemId {
        /// The fields to the `has_more` boolean.
        has_more: Vec<Step>,
        /// The item's id field.
        id: Step,
    },
}

/// One field on a path through a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The Rust field name.
    pub field: String,
    /// The field's type as declared (with its `Option` and `Box`).
    pub ty: Type,
}

/// A method that is another form of an operation (`{op}_as_{media}`, `{op}_with_{media}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// The method of the operation's default form.
    pub operation: String,
    /// The media type asked for (`Accept`) or sent (`Content-Type`).
    pub media: String,
    /// Whether the media type is the request body's (else the response's).
    pub request: bool,
}

impl Operation {
    /// Whether the successes are event streams, handed over as they arrive.
    pub fn streams_events(&self) -> bool {
        self.success.cases.first().map(|c| c.decode) == Some(Decode::Events)
    }
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    /// Literal text.
    Literal(String),
    /// The index of a parameter in [`Operation::params`].
    Param(usize),
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    /// A path segment.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
}

impl ParamLocation {
    /// How reports and docs name the location: `path`, `query`, `header`, `cookie`.
    pub fn name(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        }
    }
}

/// How an array or object parameter is serialized in the query string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `k=a&k=b` (form, explode).
    Repeat,
    /// `k=a,b` (form, no explode; also simple).
    Comma,
    /// `k=a b` (space delimited).
    Space,
    /// `k=a|b` (pipe delimited).
    Pipe,
    /// `k[x]=1&k[y]=2` (deepObject).
    DeepObject,
}

/// An operation parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The Rust argument name.
    pub name: String,
    /// The wire name.
    pub wire_name: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// The value type (without `Option`).
    pub ty: Type,
    /// Whether the caller must pass it.
    pub required: bool,
    /// Serialization style for arrays and objects in the query.
    pub style: QueryStyle,
    /// A path parameter that spans segments (`x-multi-segment: true`): its `/` are kept.
    pub multi_segment: bool,
    /// Documentation (used in the method's doc comment).
    pub doc: Option<String>,
    /// For an optional parameter whose setter is shared ([`Api::shared_setters`]): the
    /// trait's name.
    pub shared: Option<String>,
}

/// How a request body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// `application/json` and `+json`.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`, sent as JSON-serializable fields turned into text parts.
    Multipart,
    /// `text/*`, sent as a string.
    Text,
    /// Anything else, sent as bytes.
    Binary,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// The value type (without `Option`).
    pub ty: Type,
    /// Whether the caller must pass it.
    pub required: bool,
    /// The `Content-Type` sent.
    pub content_type: String,
    /// How it is encoded.
    pub encoding: BodyEncoding,
    /// The fields of a form body whose arrays are sent comma-separated (`encoding` with
    /// `style: form, explode: false`, and Swagger 2.0's default `collectionFormat: csv`),
    /// by JSON name; other arrays repeat the field.
    pub comma_fields: Vec<String>,
}

/// How a response body is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decode {
    /// No body: `()`.
    Empty,
    /// JSON into the type.
    Json,
    /// Text into `String`.
    Text,
    /// Raw bytes into `Bytes`.
    Bytes,
    /// `text/event-stream`: a stream of events whose data is decoded into the type (JSON,
    /// or kept as text for `String`), handed over as it arrives.
    Events,
}

/// Which statuses a response rule matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    /// One status code.
    Code(u16),
    /// A class, e.g. `4XX` is `Range(4)`.
    Range(u16),
    /// Every status not matched otherwise.
    Default,
}

/// One documented response.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseCase {
    /// The statuses it covers.
    pub status: StatusMatch,
    /// How to decode the body.
    pub decode: Decode,
    /// The decoded type.
    pub ty: Type,
    /// The enum variant name when the outcome is an enum.
    pub variant: String,
}

/// The success or the error side of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The Rust type the caller sees: the one case's type, or a generated enum's name.
    pub ty: Type,
    /// The enum to generate when the cases have different types.
    pub enum_name: Option<String>,
    /// The cases, most specific status first.
    pub cases: Vec<ResponseCase>,
}

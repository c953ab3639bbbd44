//! The kinds of change, their classes and reasons, and how they read.
//!
//! The classes follow from what the emitter writes (`emit/`): structs have public fields and
//! no `#[non_exhaustive]` (users build them with struct literals and may match them
//! exhaustively), enums are not `#[non_exhaustive]` either (string enums and tagged unions
//! have a catch-all variant for unknown values, but a `match` can still name every variant),
//! required parameters and bodies are positional arguments, and optional ones are setters on
//! the call (adding one is compatible; removing one breaks the calls that set it).

use std::fmt;

use serde::Serialize;

use crate::ir::{Auth, ParamLocation, Presence, StatusMatch, Type, TypeKind};

/// What a change means for code that uses the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// Only documentation changed.
    DocOnly,
    /// Code that compiled still compiles and behaves as before (or follows the API where the
    /// server's contract moved and nothing in the caller's code refers to it).
    Compatible,
    /// Code that compiled may not compile, or may behave differently.
    Breaking,
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Class::DocOnly => "doc only",
            Class::Compatible => "compatible",
            Class::Breaking => "breaking",
        })
    }
}

/// The successful or the error side of an operation's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// `Ok`: `ResponseValue<T>`.
    Success,
    /// `Err`: the documented error payload in `Error<E>`.
    Error,
}

/// The shape of a named type, for reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KindName {
    /// A struct.
    Struct,
    /// A string enum.
    StringEnum,
    /// A tagged union (enum).
    TaggedUnion,
    /// An untagged union (enum).
    UntaggedUnion,
    /// A pattern-checked string newtype.
    Pattern,
    /// A type alias.
    Alias,
}

impl KindName {
    /// The kind of a type definition.
    pub fn of(kind: &TypeKind) -> KindName {
        match kind {
            TypeKind::Struct { .. } => KindName::Struct,
            TypeKind::StringEnum { .. } => KindName::StringEnum,
            TypeKind::Tagged { .. } => KindName::TaggedUnion,
            TypeKind::Untagged { .. } => KindName::UntaggedUnion,
            TypeKind::Pattern { .. } => KindName::Pattern,
            TypeKind::Alias { .. } => KindName::Alias,
        }
    }
}

impl fmt::Display for KindName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KindName::Struct => "struct",
            KindName::StringEnum => "string enum",
            KindName::TaggedUnion => "tagged union",
            KindName::UntaggedUnion => "untagged union",
            KindName::Pattern => "pattern-checked string",
            KindName::Alias => "type alias",
        })
    }
}

/// One difference between two versions of an API. Names are Rust names; `json`, `wire` and
/// `value` fields are the spec's names. JSON: `{"change": "field_added", ...}`, types as Rust
/// text.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    // The client.
    /// The spec is new: a new module.
    ApiAdded,
    /// The spec is gone: its module is removed.
    ApiRemoved,
    /// The default server (the spec's first) changed, appeared or disappeared.
    DefaultServerChanged {
        /// Before.
        from: Option<String>,
        /// After.
        to: Option<String>,
    },
    /// A further server is listed.
    ServerAdded {
        /// Its URL.
        url: String,
    },
    /// A further server is no longer listed.
    ServerRemoved {
        /// Its URL.
        url: String,
    },
    /// The authentication scheme changed.
    AuthChanged {
        /// Before.
        #[serde(serialize_with = "ser::auth")]
        from: Auth,
        /// After.
        #[serde(serialize_with = "ser::auth")]
        to: Auth,
    },
    /// The module documentation (title, version, description) changed.
    ApiDocChanged,

    // Operations.
    /// A new method.
    OperationAdded,
    /// A method is gone.
    OperationRemoved,
    /// The method for this endpoint has a new name.
    OperationRenamed {
        /// The old method name.
        from: String,
    },
    /// The method calls another HTTP method or path.
    EndpointChanged {
        /// The old `METHOD /path`.
        from: String,
    },
    /// A new parameter.
    ParamAdded {
        /// The Rust argument name.
        param: String,
        /// The name on the wire.
        wire: String,
        /// Where it goes.
        #[serde(serialize_with = "ser::location")]
        location: ParamLocation,
        /// Its type (without `Option`).
        #[serde(serialize_with = "ser::ty")]
        ty: Type,
        /// Whether it must be passed.
        required: bool,
    },
    /// A parameter is gone.
    ParamRemoved {
        /// The Rust argument name.
        param: String,
        /// The name on the wire.
        wire: String,
        /// Where it went.
        #[serde(serialize_with = "ser::location")]
        location: ParamLocation,
        /// Its type (without `Option`).
        #[serde(serialize_with = "ser::ty")]
        ty: Type,
        /// Whether it had to be passed.
        required: bool,
    },
    /// A parameter became required (`required: true`) or optional.
    ParamRequiredChanged {
        /// The Rust argument name.
        param: String,
        /// Whether it is now required.
        required: bool,
    },
    /// A parameter's type changed.
    ParamTypeChanged {
        /// The Rust argument name.
        param: String,
        /// Before (without `Option`).
        #[serde(serialize_with = "ser::ty")]
        from: Type,
        /// After (without `Option`).
        #[serde(serialize_with = "ser::ty")]
        to: Type,
    },
    /// A parameter is sent under another name or in another place.
    ParamWireChanged {
        /// The Rust argument name.
        param: String,
        /// Where it went before.
        #[serde(serialize_with = "ser::location")]
        from_location: ParamLocation,
        /// Its wire name before.
        from_wire: String,
        /// Where it goes now.
        #[serde(serialize_with = "ser::location")]
        to_location: ParamLocation,
        /// Its wire name now.
        to_wire: String,
    },
    /// A query parameter is serialized in another style.
    ParamStyleChanged {
        /// The Rust argument name.
        param: String,
    },
    /// Arguments both versions have are in a different order.
    ArgumentsReordered {
        /// The order before.
        from: Vec<String>,
        /// The order after.
        to: Vec<String>,
    },
    /// A request body appeared.
    BodyAdded {
        /// Its type.
        #[serde(serialize_with = "ser::ty")]
        ty: Type,
        /// Whether it must be passed.
        required: bool,
    },
    /// The request body is gone.
    BodyRemoved {
        /// Its type.
        #[serde(serialize_with = "ser::ty")]
        ty: Type,
        /// Whether it had to be passed.
        required: bool,
    },
    /// The request body became required (`required: true`) or optional.
    BodyRequiredChanged {
        /// Whether it is now required.
        required: bool,
    },
    /// The request body's type changed.
    BodyTypeChanged {
        /// Before.
        #[serde(serialize_with = "ser::ty")]
        from: Type,
        /// After.
        #[serde(serialize_with = "ser::ty")]
        to: Type,
    },
    /// The request body is sent with another content type.
    BodyContentTypeChanged {
        /// Before.
        from: String,
        /// After.
        to: String,
    },
    /// The type of the result's success or error side changed.
    ResultTypeChanged {
        /// Which side.
        side: Side,
        /// Before.
        #[serde(serialize_with = "ser::ty")]
        from: Type,
        /// After.
        #[serde(serialize_with = "ser::ty")]
        to: Type,
    },
    /// The enum over response statuses has a new variant.
    OutcomeVariantAdded {
        /// Which side.
        side: Side,
        /// The enum's name.
        enum_name: String,
        /// The variant.
        variant: String,
        /// Its payload.
        #[serde(serialize_with = "ser::ty")]
        ty: Type,
    },
    /// The enum over response statuses lost a variant.
    OutcomeVariantRemoved {
        /// Which side.
        side: Side,
        /// The enum's name.
        enum_name: String,
        /// The variant.
        variant: String,
        /// Its payload.
        #[serde(serialize_with = "ser::ty")]
        ty: Type,
    },
    /// A variant of the enum over response statuses carries another type.
    OutcomeVariantTypeChanged {
        /// Which side.
        side: Side,
        /// The enum's name.
        enum_name: String,
        /// The variant.
        variant: String,
        /// Before.
        #[serde(serialize_with = "ser::ty")]
        from: Type,
        /// After.
        #[serde(serialize_with = "ser::ty")]
        to: Type,
    },
    /// A response status is newly documented.
    StatusAdded {
        /// Which side.
        side: Side,
        /// The status.
        #[serde(serialize_with = "ser::status")]
        status: StatusMatch,
        /// What it decodes to.
        #[serde(serialize_with = "ser::ty")]
        ty: Type,
    },
    /// A response status is no longer documented.
    StatusRemoved {
        /// Which side.
        side: Side,
        /// The status.
        #[serde(serialize_with = "ser::status")]
        status: StatusMatch,
        /// What it decoded to.
        #[serde(serialize_with = "ser::ty")]
        ty: Type,
    },
    /// The `Accept` header changed.
    AcceptChanged {
        /// Before.
        from: Option<String>,
        /// After.
        to: Option<String>,
    },
    /// The method's documentation (or a parameter's) changed.
    OperationDocChanged,

    // Types.
    /// A new type.
    TypeAdded {
        /// Its shape.
        kind: KindName,
    },
    /// A type is gone.
    TypeRemoved {
        /// Its shape.
        kind: KindName,
    },
    /// A type has another shape (a struct became an enum, ...).
    TypeKindChanged {
        /// Before.
        from: KindName,
        /// After.
        to: KindName,
    },
    /// A tagged union is told apart by another property.
    TagChanged {
        /// Before.
        from: String,
        /// After.
        to: String,
    },
    /// An enum has a new variant.
    VariantAdded {
        /// The Rust variant name.
        variant: String,
        /// Its JSON value or tag value (empty for untagged unions and catch-alls).
        value: String,
        /// Its payload, for unions.
        #[serde(serialize_with = "ser::opt_ty")]
        ty: Option<Type>,
        /// Whether the enum has a catch-all variant for unknown values.
        catch_all: bool,
    },
    /// An enum lost a variant.
    VariantRemoved {
        /// The Rust variant name.
        variant: String,
        /// Its JSON value or tag value (empty for untagged unions and catch-alls).
        value: String,
    },
    /// An enum variant stands for another JSON value or tag.
    VariantValueChanged {
        /// The Rust variant name.
        variant: String,
        /// Before.
        from: String,
        /// After.
        to: String,
    },
    /// A union variant carries another type.
    VariantTypeChanged {
        /// The Rust variant name.
        variant: String,
        /// Before.
        #[serde(serialize_with = "ser::ty")]
        from: Type,
        /// After.
        #[serde(serialize_with = "ser::ty")]
        to: Type,
    },
    /// An untagged union tries its variants in another order.
    VariantsReordered {
        /// The order before.
        from: Vec<String>,
        /// The order after.
        to: Vec<String>,
    },
    /// A pattern-checked string has another pattern.
    PatternChanged {
        /// Before.
        from: String,
        /// After.
        to: String,
    },
    /// A type alias names another type.
    AliasTargetChanged {
        /// Before.
        #[serde(serialize_with = "ser::ty")]
        from: Type,
        /// After.
        #[serde(serialize_with = "ser::ty")]
        to: Type,
    },
    /// The type's documentation changed.
    TypeDocChanged,
    /// A struct has a new field.
    FieldAdded {
        /// The Rust field name.
        field: String,
        /// The JSON property (empty for the map of additional properties).
        json: String,
        /// Its Rust type.
        #[serde(serialize_with = "ser::ty")]
        ty: Type,
        /// Its presence.
        #[serde(serialize_with = "ser::presence")]
        presence: Presence,
        /// Whether the struct is sent in requests (callers build it).
        in_requests: bool,
        /// Whether the struct (now) derives `Default`.
        derives_default: bool,
    },
    /// A struct lost a field.
    FieldRemoved {
        /// The Rust field name.
        field: String,
        /// The JSON property (empty for the map of additional properties).
        json: String,
        /// Its Rust type.
        #[serde(serialize_with = "ser::ty")]
        ty: Type,
    },
    /// A field became required, optional, nullable or not.
    FieldPresenceChanged {
        /// The Rust field name.
        field: String,
        /// The JSON property.
        json: String,
        /// Before.
        #[serde(serialize_with = "ser::presence")]
        from: Presence,
        /// After.
        #[serde(serialize_with = "ser::presence")]
        to: Presence,
        /// The field's Rust type before.
        #[serde(serialize_with = "ser::ty")]
        from_ty: Type,
        /// The field's Rust type after.
        #[serde(serialize_with = "ser::ty")]
        to_ty: Type,
    },
    /// A field's value type changed (without the `Option`s of its presence).
    FieldTypeChanged {
        /// The Rust field name.
        field: String,
        /// The JSON property (empty for the map of additional properties).
        json: String,
        /// Before.
        #[serde(serialize_with = "ser::ty")]
        from: Type,
        /// After.
        #[serde(serialize_with = "ser::ty")]
        to: Type,
    },
    /// A field is (de)serialized under another JSON name.
    FieldJsonNameChanged {
        /// The Rust field name.
        field: String,
        /// Before.
        from: String,
        /// After.
        to: String,
    },
    /// A field's documentation changed.
    FieldDocChanged {
        /// The Rust field name.
        field: String,
    },
    /// A struct started (`derived: true`) or stopped deriving `Default`.
    DefaultDerive {
        /// Whether it derives `Default` now.
        derived: bool,
    },
}

impl Change {
    /// What the change means for code using the generated crate.
    pub fn class(&self) -> Class {
        use Change::*;
        match self {
            ApiDocChanged
            | ServerAdded { .. }
            | ServerRemoved { .. }
            | OperationDocChanged
            | TypeDocChanged
            | FieldDocChanged { .. } => Class::DocOnly,
            ParamAdded {
                required: false, ..
            }
            | BodyAdded {
                required: false, ..
            } => Class::Compatible,
            ApiAdded
            | OperationAdded
            | EndpointChanged { .. }
            | ParamWireChanged { .. }
            | ParamStyleChanged { .. }
            | BodyContentTypeChanged { .. }
            | StatusAdded { .. }
            | AcceptChanged { .. }
            | TypeAdded { .. }
            | VariantValueChanged { .. }
            | FieldJsonNameChanged { .. }
            | DefaultDerive { derived: true } => Class::Compatible,
            AuthChanged { from, to } if same_credential(from, to) => Class::Compatible,
            ApiRemoved
            | DefaultServerChanged { .. }
            | AuthChanged { .. }
            | OperationRemoved
            | OperationRenamed { .. }
            | ParamAdded { .. }
            | ParamRemoved { .. }
            | ParamRequiredChanged { .. }
            | ParamTypeChanged { .. }
            | ArgumentsReordered { .. }
            | BodyAdded { .. }
            | BodyRemoved { .. }
            | BodyRequiredChanged { .. }
            | BodyTypeChanged { .. }
            | ResultTypeChanged { .. }
            | OutcomeVariantAdded { .. }
            | OutcomeVariantRemoved { .. }
            | OutcomeVariantTypeChanged { .. }
            | StatusRemoved { .. }
            | TypeRemoved { .. }
            | TypeKindChanged { .. }
            | TagChanged { .. }
            | VariantAdded { .. }
            | VariantRemoved { .. }
            | VariantTypeChanged { .. }
            | VariantsReordered { .. }
            | PatternChanged { .. }
            | AliasTargetChanged { .. }
            | FieldAdded { .. }
            | FieldRemoved { .. }
            | FieldPresenceChanged { .. }
            | FieldTypeChanged { .. }
            | DefaultDerive { derived: false } => Class::Breaking,
        }
    }

    /// Why the change has its class, in a few words.
    pub fn reason(&self) -> String {
        use Change::*;
        match self {
            ApiAdded | OperationAdded | TypeAdded { .. } => "an addition: existing code is unaffected".into(),
            ApiRemoved => "the module and everything in it are gone".into(),
            DefaultServerChanged { from: None, .. } => {
                "`Client::new` no longer takes a `base_url`".into()
            }
            DefaultServerChanged { to: None, .. } => "`Client::new` now takes a `base_url`".into(),
            DefaultServerChanged { .. } => {
                "clients built without `base_url` now call the new server".into()
            }
            ServerAdded { .. } | ServerRemoved { .. } => {
                "further servers are only listed in `Client`'s docs".into()
            }
            AuthChanged { from: Auth::None, .. } => "`Client::new` now takes a token".into(),
            AuthChanged { to: Auth::None, .. } => "`Client::new` no longer takes a token".into(),
            AuthChanged { .. } if self.class() == Class::Compatible => {
                "the same API key is sent in the new place".into()
            }
            AuthChanged { .. } => "callers must pass another kind of credential".into(),
            ApiDocChanged | OperationDocChanged | TypeDocChanged | FieldDocChanged { .. } => {
                "only the generated rustdoc differs".into()
            }
            OperationRemoved => "calls to it no longer compile".into(),
            OperationRenamed { from } => format!("calls to `{from}` no longer compile"),
            EndpointChanged { .. } => "calls compile unchanged and go to the new endpoint".into(),
            ParamAdded {
                param,
                ty,
                required: true,
                ..
            } => format!("a new positional argument `{param}: {}`", rust(ty)),
            ParamAdded { param, ty, .. } => format!(
                "a new setter `.{}(impl Into<{}>)` on the call; calls compile unchanged",
                param.trim_start_matches("r#"),
                rust(ty)
            ),
            ParamRemoved { required: true, .. } => "calls pass one argument too many".into(),
            ParamRemoved { .. } => "calls that set it no longer compile".into(),
            ParamRequiredChanged { required: true, .. } => {
                "the setter becomes a positional argument: every call must pass it".into()
            }
            ParamRequiredChanged { .. } => {
                "the argument becomes a setter: calls pass one argument too many".into()
            }
            ParamTypeChanged { .. } | BodyTypeChanged { .. } => "the argument's type changes".into(),
            ParamWireChanged { .. } => "calls compile unchanged; the client sends it as the API now expects".into(),
            ParamStyleChanged { .. } => "calls compile unchanged; the client serializes it as the API now expects".into(),
            ArgumentsReordered { .. } => {
                "positional arguments moved: calls fail to compile or pass values to the wrong parameters".into()
            }
            BodyAdded { ty, required: true } => {
                format!("a new positional argument `body: {}`", rust(ty))
            }
            BodyAdded { ty, .. } => format!(
                "a new setter `.body({})` on the call; calls compile unchanged",
                rust(ty)
            ),
            BodyRemoved { required: true, .. } => "calls pass one argument too many".into(),
            BodyRemoved { .. } => "calls that set it no longer compile".into(),
            BodyRequiredChanged { required: true } => {
                "the `body` setter becomes a positional argument: every call must pass it".into()
            }
            BodyRequiredChanged { .. } => {
                "the `body` argument becomes a setter: calls pass one argument too many".into()
            }
            BodyContentTypeChanged { .. } | AcceptChanged { .. } => {
                "calls compile unchanged; the client follows the API's media type".into()
            }
            ResultTypeChanged {
                side: Side::Success,
                ..
            } => "the method returns another type".into(),
            ResultTypeChanged { .. } => "errors carry another type".into(),
            OutcomeVariantAdded { enum_name, .. } => {
                format!("exhaustive `match`es on `{enum_name}` need a new arm")
            }
            OutcomeVariantRemoved { enum_name, .. } => {
                format!("code naming this variant of `{enum_name}` no longer compiles")
            }
            OutcomeVariantTypeChanged { .. } | VariantTypeChanged { .. } => {
                "the variant carries another type".into()
            }
            StatusAdded {
                side: Side::Success,
                ..
            } => "responses with this status are now decoded (they were an error)".into(),
            StatusAdded { .. } => {
                "error responses with this status now carry a decoded body".into()
            }
            StatusRemoved {
                side: Side::Success,
                ..
            } => "responses with this status are no longer decoded as a success".into(),
            StatusRemoved { .. } => {
                "error responses with this status no longer carry a decoded body".into()
            }
            TypeRemoved { .. } => "code naming it no longer compiles".into(),
            TypeKindChanged { .. } => "every use of the type changes".into(),
            TagChanged { .. } => "objects are told apart by another property".into(),
            VariantAdded {
                value, catch_all: true, ..
            } if !value.is_empty() => format!(
                "exhaustive `match`es need a new arm (generated enums are not `#[non_exhaustive]`); `{value}` was kept in the catch-all before"
            ),
            VariantAdded { catch_all: true, .. } => {
                "exhaustive `match`es need a new arm (generated enums are not `#[non_exhaustive]`)".into()
            }
            VariantAdded { .. } => {
                "exhaustive `match`es need a new arm, and JSON may decode as the new variant".into()
            }
            VariantRemoved { .. } => "code naming the variant no longer compiles".into(),
            VariantValueChanged { .. } => {
                "code compiles unchanged; the variant follows the API's value".into()
            }
            VariantsReordered { .. } => {
                "the first variant that fits wins: the same JSON may decode as another variant".into()
            }
            PatternChanged { .. } => "values accepted before may be refused".into(),
            AliasTargetChanged { .. } => "the alias names another type".into(),
            FieldAdded {
                field,
                in_requests: true,
                derives_default: true,
                ..
            } => format!(
                "sent in requests: struct literals without `..Default::default()` must set `{field}`"
            ),
            FieldAdded {
                field,
                in_requests: true,
                ..
            } => format!("sent in requests: struct literals must set `{field}`"),
            FieldAdded { field, .. } => format!(
                "struct literals and exhaustive patterns (tests, mocks) must name `{field}`: generated structs are not `#[non_exhaustive]`"
            ),
            FieldRemoved { .. } => "code using the field no longer compiles".into(),
            FieldPresenceChanged { from_ty, to_ty, .. } => format!(
                "the field's type changes from `{}` to `{}`",
                rust(from_ty),
                rust(to_ty)
            ),
            FieldTypeChanged { .. } => "the field's type changes".into(),
            FieldJsonNameChanged { .. } => {
                "code compiles unchanged; the field follows the API's property".into()
            }
            DefaultDerive { derived: true } => "a new trait implementation".into(),
            DefaultDerive { .. } => {
                "`default()` and `..Default::default()` stop compiling".into()
            }
        }
    }
}

/// API keys are all one credential, wherever they are sent.
fn same_credential(from: &Auth, to: &Auth) -> bool {
    let key = |a: &Auth| {
        matches!(
            a,
            Auth::ApiKeyHeader(_) | Auth::ApiKeyQuery(_) | Auth::ApiKeyCookie(_)
        )
    };
    key(from) && key(to)
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Change::*;
        match self {
            ApiAdded => write!(f, "new API"),
            ApiRemoved => write!(f, "API removed"),
            DefaultServerChanged { from, to } => write!(
                f,
                "default server {} → {}",
                opt_code(from.as_deref()),
                opt_code(to.as_deref())
            ),
            ServerAdded { url } => write!(f, "server `{url}` added"),
            ServerRemoved { url } => write!(f, "server `{url}` removed"),
            AuthChanged { from, to } => write!(f, "authentication {} → {}", auth(from), auth(to)),
            ApiDocChanged => write!(f, "module documentation changed"),
            OperationAdded => write!(f, "method added"),
            OperationRemoved => write!(f, "method removed"),
            OperationRenamed { from } => write!(f, "method renamed from `{from}`"),
            EndpointChanged { from } => write!(f, "endpoint changed from `{from}`"),
            ParamAdded {
                param,
                wire,
                location,
                ty,
                required,
            } => write!(
                f,
                "{} parameter `{param}: {}` added ({} `{wire}`)",
                if *required { "required" } else { "optional" },
                rust(ty),
                location.name()
            ),
            ParamRemoved {
                param,
                wire,
                location,
                ty,
                ..
            } => write!(
                f,
                "parameter `{param}: {}` removed ({} `{wire}`)",
                rust(ty),
                location.name()
            ),
            ParamRequiredChanged { param, required } => write!(
                f,
                "parameter `{param}` {}",
                if *required {
                    "optional → required"
                } else {
                    "required → optional"
                }
            ),
            ParamTypeChanged { param, from, to } => write!(
                f,
                "parameter `{param}` type `{}` → `{}`",
                rust(from),
                rust(to)
            ),
            ParamWireChanged {
                param,
                from_location,
                from_wire,
                to_location,
                to_wire,
            } => write!(
                f,
                "parameter `{param}` sent as {} `{from_wire}` → {} `{to_wire}`",
                from_location.name(),
                to_location.name()
            ),
            ParamStyleChanged { param } => {
                write!(f, "parameter `{param}` serialization style changed")
            }
            ArgumentsReordered { from, to } => write!(
                f,
                "arguments reordered ({}) → ({})",
                from.join(", "),
                to.join(", ")
            ),
            BodyAdded { ty, required } => write!(
                f,
                "{} request body `{}` added",
                if *required { "required" } else { "optional" },
                rust(ty)
            ),
            BodyRemoved { ty, .. } => write!(f, "request body `{}` removed", rust(ty)),
            BodyRequiredChanged { required } => write!(
                f,
                "request body {}",
                if *required {
                    "optional → required"
                } else {
                    "required → optional"
                }
            ),
            BodyTypeChanged { from, to } => {
                write!(f, "request body type `{}` → `{}`", rust(from), rust(to))
            }
            BodyContentTypeChanged { from, to } => {
                write!(f, "request content type `{from}` → `{to}`")
            }
            ResultTypeChanged { side, from, to } => write!(
                f,
                "{} type `{}` → `{}`",
                side_name(*side),
                rust(from),
                rust(to)
            ),
            OutcomeVariantAdded {
                enum_name,
                variant,
                ty,
                ..
            } => write!(f, "variant `{enum_name}::{variant}({})` added", rust(ty)),
            OutcomeVariantRemoved {
                enum_name,
                variant,
                ty,
                ..
            } => write!(f, "variant `{enum_name}::{variant}({})` removed", rust(ty)),
            OutcomeVariantTypeChanged {
                enum_name,
                variant,
                from,
                to,
                ..
            } => write!(
                f,
                "variant `{enum_name}::{variant}` type `{}` → `{}`",
                rust(from),
                rust(to)
            ),
            StatusAdded { side, status, ty } => write!(
                f,
                "{} status {} documented (`{}`)",
                side_name(*side),
                status_name(*status),
                rust(ty)
            ),
            StatusRemoved { side, status, ty } => write!(
                f,
                "{} status {} no longer documented (was `{}`)",
                side_name(*side),
                status_name(*status),
                rust(ty)
            ),
            AcceptChanged { from, to } => write!(
                f,
                "`Accept` {} → {}",
                opt_code(from.as_deref()),
                opt_code(to.as_deref())
            ),
            OperationDocChanged => write!(f, "documentation changed"),
            TypeAdded { kind } => write!(f, "{kind} added"),
            TypeRemoved { kind } => write!(f, "{kind} removed"),
            TypeKindChanged { from, to } => write!(f, "{from} → {to}"),
            TagChanged { from, to } => write!(f, "tag property `{from}` → `{to}`"),
            VariantAdded {
                variant, value, ty, ..
            } => {
                write!(f, "variant `{variant}")?;
                if let Some(ty) = ty {
                    write!(f, "({})", rust(ty))?;
                }
                write!(f, "` added")?;
                if !value.is_empty() {
                    write!(f, " (`{value}`)")?;
                }
                Ok(())
            }
            VariantRemoved { variant, value } => {
                write!(f, "variant `{variant}` removed")?;
                if !value.is_empty() {
                    write!(f, " (`{value}`)")?;
                }
                Ok(())
            }
            VariantValueChanged { variant, from, to } => {
                write!(f, "variant `{variant}` value `{from}` → `{to}`")
            }
            VariantTypeChanged { variant, from, to } => write!(
                f,
                "variant `{variant}` type `{}` → `{}`",
                rust(from),
                rust(to)
            ),
            VariantsReordered { from, to } => write!(
                f,
                "variants reordered ({}) → ({})",
                from.join(", "),
                to.join(", ")
            ),
            PatternChanged { from, to } => write!(f, "pattern `{from}` → `{to}`"),
            AliasTargetChanged { from, to } => {
                write!(f, "alias of `{}` → `{}`", rust(from), rust(to))
            }
            TypeDocChanged => write!(f, "documentation changed"),
            FieldAdded {
                field,
                json,
                ty,
                presence,
                ..
            } => {
                write!(
                    f,
                    "{} field `{field}: {}` added",
                    presence_name(*presence),
                    rust(ty)
                )?;
                json_note(f, field, json)
            }
            FieldRemoved { field, json, ty } => {
                write!(f, "field `{field}: {}` removed", rust(ty))?;
                json_note(f, field, json)
            }
            FieldPresenceChanged {
                field,
                json,
                from,
                to,
                ..
            } => {
                write!(
                    f,
                    "field `{field}` {} → {}",
                    presence_name(*from),
                    presence_name(*to)
                )?;
                json_note(f, field, json)
            }
            FieldTypeChanged {
                field,
                json,
                from,
                to,
            } => {
                write!(f, "field `{field}` type `{}` → `{}`", rust(from), rust(to))?;
                json_note(f, field, json)
            }
            FieldJsonNameChanged { field, from, to } => {
                write!(f, "field `{field}` JSON name `{from}` → `{to}`")
            }
            FieldDocChanged { field } => write!(f, "field `{field}` documentation changed"),
            DefaultDerive { derived: true } => write!(f, "now derives `Default`"),
            DefaultDerive { .. } => write!(f, "no longer derives `Default`"),
        }
    }
}

/// ` (JSON `name`)` when the JSON name differs from the Rust one.
fn json_note(f: &mut fmt::Formatter<'_>, field: &str, json: &str) -> fmt::Result {
    if json.is_empty() || crate::naming::unraw(field) == json {
        Ok(())
    } else {
        write!(f, " (JSON `{json}`)")
    }
}

fn opt_code(value: Option<&str>) -> String {
    value.map_or_else(|| "none".to_string(), |v| format!("`{v}`"))
}

fn side_name(side: Side) -> &'static str {
    match side {
        Side::Success => "success",
        Side::Error => "error",
    }
}

/// A type as Rust source, as users see it in the generated crate.
pub fn rust(t: &Type) -> String {
    match t {
        Type::String => "String".into(),
        Type::Bool => "bool".into(),
        Type::I32 => "i32".into(),
        Type::I64 => "i64".into(),
        Type::U64 => "u64".into(),
        Type::F32 => "f32".into(),
        Type::F64 => "f64".into(),
        Type::Json => "serde_json::Value".into(),
        Type::Bytes => "Bytes".into(),
        Type::File => "FilePart".into(),
        Type::Unit => "()".into(),
        Type::Named(name) => crate::naming::unraw(name).to_string(),
        Type::Vec(inner) => format!("Vec<{}>", rust(inner)),
        Type::Map(inner) => format!("BTreeMap<String, {}>", rust(inner)),
        Type::Option(inner) => format!("Option<{}>", rust(inner)),
        Type::Boxed(inner) => format!("Box<{}>", rust(inner)),
    }
}

/// An authentication scheme in words.
pub fn auth(a: &Auth) -> String {
    match a {
        Auth::None => "none".into(),
        Auth::Bearer => "bearer token".into(),
        Auth::Basic => "basic".into(),
        Auth::ApiKeyHeader(name) => format!("API key in header `{name}`"),
        Auth::ApiKeyQuery(name) => format!("API key in query `{name}`"),
        Auth::ApiKeyCookie(name) => format!("API key in cookie `{name}`"),
    }
}

fn presence_name(p: Presence) -> &'static str {
    match p {
        Presence::Required => "required",
        Presence::RequiredNullable => "required nullable",
        Presence::Optional => "optional",
        Presence::OptionalNullable => "optional nullable",
    }
}

fn status_name(s: StatusMatch) -> String {
    match s {
        StatusMatch::Code(code) => code.to_string(),
        StatusMatch::Range(r) => format!("{r}XX"),
        StatusMatch::Default => "default".into(),
    }
}

/// Serializers for the IR's types in JSON reports: the same words as the text.
mod ser {
    use serde::Serializer;

    use crate::ir::{Auth, ParamLocation, Presence, StatusMatch, Type};

    pub fn ty<S: Serializer>(t: &Type, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::rust(t))
    }

    pub fn opt_ty<S: Serializer>(t: &Option<Type>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_some(&super::rust(t)),
            None => s.serialize_none(),
        }
    }

    pub fn auth<S: Serializer>(a: &Auth, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::auth(a))
    }

    pub fn presence<S: Serializer>(p: &Presence, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(super::presence_name(*p))
    }

    pub fn location<S: Serializer>(l: &ParamLocation, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(l.name())
    }

    pub fn status<S: Serializer>(st: &StatusMatch, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::status_name(*st))
    }
}

use super::*;

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

fn api(rest: &str) -> Api {
    crate::analyze("t.yaml", &format!("{HEAD}{rest}"))
        .expect("the spec analyzes")
        .api
}

fn summaries(old: &str, new: &str) -> Vec<String> {
    compare(&api(old), &api(new))
        .entries
        .iter()
        .map(|e| format!("{}: {}", e.change.class(), e.change))
        .collect()
}

#[test]
fn identical_specs_have_no_changes() {
    let spec = "paths:\n  /a:\n    get:\n      operationId: getA\n      responses: {'204': {description: ok}}\n";
    assert_eq!(summaries(spec, spec), Vec::<String>::new());
}

#[test]
fn a_new_method_name_for_the_same_endpoint_is_a_rename() {
    let old = "paths:\n  /a:\n    get:\n      operationId: getA\n      responses: {'204': {description: ok}}\n";
    let new = "paths:\n  /a:\n    get:\n      operationId: fetchA\n      responses: {'204': {description: ok}}\n";
    assert_eq!(
        summaries(old, new),
        ["breaking: method renamed from `get_a`"]
    );
}

#[test]
fn a_swap_of_two_arguments_is_reported() {
    let op = |a: &str, b: &str, required: bool| {
        format!("paths:\n  /a:\n    get:\n      operationId: getA\n      parameters:\n        - {{name: {a}, in: query, required: {required}, schema: {{type: string}}}}\n        - {{name: {b}, in: query, required: {required}, schema: {{type: string}}}}\n      responses: {{'204': {{description: ok}}}}\n")
    };
    assert_eq!(
        summaries(&op("x", "y", true), &op("y", "x", true)),
        ["breaking: arguments reordered (x, y) → (y, x)"]
    );
    // Optional parameters are setters: their order is only the documentation's.
    assert_eq!(
        summaries(&op("x", "y", false), &op("y", "x", false)),
        ["doc only: documentation changed"]
    );
}

#[test]
fn the_bump_follows_cargo_rules() {
    let v = |s: &str| s.parse::<Version>().expect("a version");
    assert_eq!(Bump::implied(None, v("0.1.0")), Bump::None);
    assert_eq!(
        Bump::implied(Some(Class::Breaking), v("0.1.0")),
        Bump::Minor
    );
    assert_eq!(
        Bump::implied(Some(Class::Compatible), v("0.1.0")),
        Bump::Patch
    );
    assert_eq!(Bump::implied(Some(Class::DocOnly), v("0.1.0")), Bump::Patch);
    assert_eq!(
        Bump::implied(Some(Class::Breaking), v("1.2.3")),
        Bump::Major
    );
    assert_eq!(
        Bump::implied(Some(Class::Compatible), v("1.2.3")),
        Bump::Minor
    );
    assert_eq!(Bump::implied(Some(Class::DocOnly), v("1.2.3")), Bump::Patch);
    assert_eq!(Bump::Minor.apply(v("0.1.4")), v("0.2.0"));
    assert_eq!(Bump::Major.apply(v("1.2.3")), v("2.0.0"));
    assert_eq!(Bump::Patch.apply(v("1.2.3")), v("1.2.4"));
    assert!("1.2".parse::<Version>().is_err());
}

#[test]
fn a_new_spec_is_all_additions() {
    let new = api("paths:\n  /a:\n    get:\n      operationId: getA\n      responses: {'204': {description: ok}}\ncomponents:\n  schemas:\n    Pet: {type: object, properties: {name: {type: string}}}\n");
    let report = added(&new);
    assert_eq!(report.status, ApiStatus::Added);
    assert_eq!(report.counts(), (0, 3, 0));
    assert_eq!(removed(&new).highest(), Some(Class::Breaking));
}

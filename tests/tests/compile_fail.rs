#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/module/*.rs");
    t.compile_fail("tests/ui/lifecycle/*.rs");
    t.compile_fail("tests/ui/rest/*.rs");
    t.pass("tests/ui/pass/*.rs");
}

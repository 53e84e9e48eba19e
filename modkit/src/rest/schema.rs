//! How a Rust type appears in an operation: a `$ref` to its component, or, for a standard
//! container (`Vec<T>`, `Option<T>`, a slice, a map, `Box<T>`, ...) or a primitive, an inline
//! schema whose items refer to their own components.
//!
//! utoipa names every standard container after the container alone (`Vec<Cat>` and
//! `Vec<Dog>` are both `Vec`), so registering a container as a component would make two
//! different responses share one schema. Its item type's `ToSchema` is out of reach once
//! the container is a type parameter, so the container's shape is read from the type's
//! name, and each named item is registered under the name utoipa gives a type by default.

use std::any::type_name;

use utoipa::ToSchema;
use utoipa::openapi::schema::{AdditionalProperties, ArrayItems, Schema};
use utoipa::openapi::{Ref, RefOr};

/// Components (name and schema) an operation needs.
pub(crate) type Components = Vec<(String, RefOr<Schema>)>;

/// The schema to put where `T` is used, adding to `components` every component it refers
/// to (directly or through other components).
pub(crate) fn describe<T: ToSchema + ?Sized>(components: &mut Components) -> RefOr<Schema> {
    T::schemas(components);
    match Shape::of(type_name::<T>()) {
        Shape::Named(_) => {
            let name = T::name().into_owned();
            components.push((name.clone(), T::schema()));
            RefOr::Ref(Ref::from_schema_name(name))
        }
        shape => shape.hoist(T::schema(), components),
    }
}

/// The structure of a type, as far as its schema is concerned.
#[derive(Debug, PartialEq, Eq)]
enum Shape {
    /// A type of its own (not from the standard library): a component under this name.
    Named(String),
    /// A primitive, `String`, `serde_json::Value` or a standard type not known here:
    /// inline, referring to nothing.
    Inline,
    /// An array of the item (`Vec`, slices, `LinkedList`, sets).
    Sequence(Box<Shape>),
    /// `null` or the item (`Option`).
    Optional(Box<Shape>),
    /// An object whose values are the item (`HashMap`, `BTreeMap`, `IndexMap`).
    Map(Box<Shape>),
    /// The item itself (`Box`, `Arc`, `Rc`, `Cow`, `RefCell`).
    Transparent(Box<Shape>),
}

/// Makes a container's shape from its item's.
type Wrap = fn(Box<Shape>) -> Shape;

/// Standard containers by path (as `std::any::type_name` spells them), with the shape they
/// give and which of their type arguments is the item.
const CONTAINERS: &[(&str, Wrap, usize)] = &[
    ("alloc::vec::Vec", Shape::Sequence, 0),
    (
        "alloc::collections::linked_list::LinkedList",
        Shape::Sequence,
        0,
    ),
    (
        "alloc::collections::vec_deque::VecDeque",
        Shape::Sequence,
        0,
    ),
    ("std::collections::hash::set::HashSet", Shape::Sequence, 0),
    (
        "alloc::collections::btree::set::BTreeSet",
        Shape::Sequence,
        0,
    ),
    ("indexmap::set::IndexSet", Shape::Sequence, 0),
    ("core::option::Option", Shape::Optional, 0),
    ("std::collections::hash::map::HashMap", Shape::Map, 1),
    ("alloc::collections::btree::map::BTreeMap", Shape::Map, 1),
    ("indexmap::map::IndexMap", Shape::Map, 1),
    ("alloc::boxed::Box", Shape::Transparent, 0),
    ("alloc::sync::Arc", Shape::Transparent, 0),
    ("alloc::rc::Rc", Shape::Transparent, 0),
    ("alloc::borrow::Cow", Shape::Transparent, 0),
    ("core::cell::RefCell", Shape::Transparent, 0),
];

/// Types outside the standard library whose schema is inline.
const INLINE: &[&str] = &["serde_json::value::Value"];

impl Shape {
    /// The shape of the type named `name` (a `std::any::type_name`).
    fn of(name: &str) -> Self {
        let name = name.trim();
        let unreferenced = name
            .strip_prefix("&mut ")
            .or_else(|| name.strip_prefix('&'))
            .unwrap_or(name)
            .trim_start();
        if let Some(item) = unreferenced
            .strip_prefix('[')
            .and_then(|rest| rest.strip_suffix(']'))
        {
            // `[T; N]` has no `ToSchema`; only slices get here.
            return Self::Sequence(Box::new(Self::of(item)));
        }
        let (path, arguments) = match name.split_once('<') {
            Some((path, rest)) => (path, rest.strip_suffix('>').map(split_arguments)),
            None => (name, None),
        };
        if let Some(&(_, shape, index)) = CONTAINERS.iter().find(|(known, ..)| *known == path)
            && let Some(item) = arguments.as_ref().and_then(|a| a.get(index))
        {
            return shape(Box::new(Self::of(item)));
        }
        let standard = ["core::", "alloc::", "std::"]
            .iter()
            .any(|prefix| path.starts_with(prefix));
        if standard
            || !path.contains("::")
            || INLINE.contains(&path)
            || name.starts_with(['&', '(', '['])
        {
            return Self::Inline;
        }
        // utoipa's default name: the last path segment, without type arguments.
        let last = path.rsplit("::").next().unwrap_or(path);
        Self::Named(last.to_owned())
    }

    /// `schema` (composed by utoipa for a type of this shape, with every item inline) with
    /// each named item replaced by a `$ref` and registered in `components`.
    fn hoist(&self, schema: RefOr<Schema>, components: &mut Components) -> RefOr<Schema> {
        match (self, schema) {
            (Self::Named(name), RefOr::T(schema)) => {
                components.push((name.clone(), RefOr::T(schema)));
                RefOr::Ref(Ref::from_schema_name(name.clone()))
            }
            (Self::Transparent(item), schema) => item.hoist(schema, components),
            (Self::Sequence(item), RefOr::T(Schema::Array(mut array))) => {
                if let ArrayItems::RefOrSchema(items) = array.items {
                    array.items = ArrayItems::RefOrSchema(Box::new(item.hoist(*items, components)));
                }
                RefOr::T(Schema::Array(array))
            }
            (Self::Optional(item), RefOr::T(Schema::OneOf(mut one_of))) => {
                // utoipa composes `Option<T>` as `oneOf: [null, T]`.
                if let Some(last) = one_of.items.pop() {
                    one_of.items.push(item.hoist(last, components));
                }
                RefOr::T(Schema::OneOf(one_of))
            }
            (Self::Map(item), RefOr::T(Schema::Object(mut object))) => {
                if let Some(values) = object.additional_properties.take() {
                    object.additional_properties = Some(Box::new(match *values {
                        AdditionalProperties::RefOr(values) => {
                            AdditionalProperties::RefOr(item.hoist(values, components))
                        }
                        free_form => free_form,
                    }));
                }
                RefOr::T(Schema::Object(object))
            }
            // Inline, already a reference, or not the shape expected: leave it as it is.
            (_, schema) => schema,
        }
    }
}

/// The top-level, comma-separated type arguments of `list` (`A, B<C, D>` gives `A` and
/// `B<C, D>`).
fn split_arguments(list: &str) -> Vec<&str> {
    let mut arguments = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (index, c) in list.char_indices() {
        match c {
            '<' | '[' | '(' => depth += 1,
            '>' | ']' | ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                arguments.push(list[start..index].trim());
                start = index + 1;
            }
            _ => {}
        }
    }
    arguments.push(list[start..].trim());
    arguments
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashMap};

    use serde_json::{Value, json};

    use super::*;

    #[derive(utoipa::ToSchema)]
    #[expect(dead_code, reason = "only its schema is used")]
    struct Cat {
        name: String,
    }

    #[derive(utoipa::ToSchema)]
    #[expect(dead_code, reason = "only its schema is used")]
    struct Page<T> {
        items: Vec<T>,
    }

    /// The schema `T` is described by, as JSON, and the names of the components it needs.
    fn described<T: ToSchema + ?Sized>() -> (Value, Vec<String>) {
        let mut components = Components::new();
        let schema = describe::<T>(&mut components);
        let mut names: Vec<String> = components.into_iter().map(|(name, _)| name).collect();
        names.sort();
        names.dedup();
        (serde_json::to_value(schema).unwrap(), names)
    }

    fn cat_ref() -> Value {
        json!({ "$ref": "#/components/schemas/Cat" })
    }

    #[test]
    fn a_named_type_is_a_reference_to_its_component() {
        assert_eq!(described::<Cat>(), (cat_ref(), vec!["Cat".to_owned()]));
    }

    #[test]
    fn sequences_are_inline_arrays_of_references() {
        for (schema, names) in [
            described::<Vec<Cat>>(),
            described::<[Cat]>(),
            described::<&[Cat]>(),
            described::<Box<Vec<Box<Cat>>>>(),
        ] {
            assert_eq!(schema["type"], "array", "{schema}");
            assert_eq!(schema["items"], cat_ref(), "{schema}");
            assert_eq!(names, ["Cat"]);
        }
    }

    #[test]
    fn options_and_maps_refer_to_their_items() {
        let (schema, names) = described::<Option<Cat>>();
        assert_eq!(schema["oneOf"][1], cat_ref(), "{schema}");
        assert_eq!(names, ["Cat"]);

        for (schema, names) in [
            described::<HashMap<String, Cat>>(),
            described::<BTreeMap<String, Cat>>(),
        ] {
            assert_eq!(schema["additionalProperties"], cat_ref(), "{schema}");
            assert_eq!(names, ["Cat"]);
        }

        let (schema, names) = described::<Option<Vec<Option<Cat>>>>();
        assert_eq!(
            schema["oneOf"][1]["items"]["oneOf"][1],
            cat_ref(),
            "{schema}"
        );
        assert_eq!(names, ["Cat"]);
    }

    #[test]
    fn primitives_stay_inline_and_register_nothing() {
        for (schema, names) in [
            described::<String>(),
            described::<Vec<String>>(),
            described::<Option<i64>>(),
            described::<HashMap<String, bool>>(),
            described::<Value>(),
        ] {
            assert!(schema.get("$ref").is_none(), "{schema}");
            assert!(names.is_empty(), "{names:?}");
        }
    }

    #[test]
    fn a_generic_type_keeps_utoipas_name() {
        let (schema, names) = described::<Vec<Page<Cat>>>();
        assert_eq!(
            schema["items"],
            json!({ "$ref": "#/components/schemas/Page" })
        );
        assert!(names.contains(&"Page".to_owned()), "{names:?}");
    }

    #[test]
    fn type_arguments_split_at_the_top_level_only() {
        assert_eq!(
            split_arguments("a::B, c::D<e::F, g::H>, [i::J]"),
            ["a::B", "c::D<e::F, g::H>", "[i::J]"]
        );
        assert_eq!(
            Shape::of("alloc::vec::Vec<my::Cat>"),
            Shape::Sequence(Box::new(Shape::Named("Cat".to_owned())))
        );
        assert_eq!(
            Shape::of("my::Page<my::Cat>"),
            Shape::Named("Page".to_owned())
        );
        assert_eq!(Shape::of("u8"), Shape::Inline);
        assert_eq!(Shape::of("alloc::string::String"), Shape::Inline);
    }
}

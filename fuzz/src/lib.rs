//! Shared pieces of the fuzz targets: the value types to decode against (the provider's real schemas plus a few
//! synthetic ones that reach every codec branch) and a single-threaded runtime for the async entry points.

use std::sync::OnceLock;

use modelarts::provider::ModelArtsProvider;
use modelarts::tf::{Provider, Type};

/// Every schema the provider serves (provider block, resources, data sources), then synthetic types that use
/// what real schemas do not: dynamic values, tuples, maps and sets of objects.
pub fn schema_types() -> &'static [(String, Type)] {
    static TYPES: OnceLock<Vec<(String, Type)>> = OnceLock::new();
    TYPES.get_or_init(|| {
        let p = ModelArtsProvider::from_env();
        let mut out = vec![("provider".to_string(), p.schema().value_type())];
        for r in p.resources() {
            out.push((r.type_name().to_string(), r.schema().value_type()));
        }
        for d in p.data_sources() {
            out.push((format!("data.{}", d.type_name()), d.schema().value_type()));
        }
        out.push(("dynamic".into(), Type::Dynamic));
        out.push(("list(dynamic)".into(), Type::list(Type::Dynamic)));
        out.push((
            "nested".into(),
            Type::object([
                (
                    "s",
                    Type::set(Type::object([
                        ("n", Type::Number),
                        ("d", Type::Dynamic),
                        ("b", Type::Bool),
                    ])),
                ),
                ("m", Type::map(Type::list(Type::String))),
                (
                    "t",
                    Type::tuple([Type::String, Type::Number, Type::set(Type::String)]),
                ),
            ]),
        ));
        out
    })
}

/// Picks a type by the first input byte; the rest is the payload.
pub fn split_type(data: &[u8]) -> Option<(&'static str, &'static Type, &[u8])> {
    let (&sel, rest) = data.split_first()?;
    let types = schema_types();
    let (name, ty) = &types[usize::from(sel) % types.len()];
    Some((name.as_str(), ty, rest))
}

/// One current-thread runtime per fuzz process: libFuzzer calls the target in a loop on one thread.
pub fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime")
    })
}

use arbitrary::{Result as ArbResult, Unstructured};
use modelarts::tf::Value;

/// Strings the schemas' validators care about, so generated configurations get past the first check.
const WORDS: &[&str] = &[
    "",
    "0",
    "nb-1",
    "RUNNING",
    "STOPPED",
    "EVS",
    "EFS",
    "MANAGED",
    "DEDICATED",
    "SCRIPT",
    "COMMAND",
    "In",
    "NotIn",
    "Exists",
    "DoesNotExist",
    "Gt",
    "Lt",
    "JupyterLab",
    "SSH",
    "modelarts.vm.cpu.2u",
    "modelarts.vm.gpu.t4",
    "pool-cpu-7c2d9e41",
    "e1a07296-22a8-4f05-8bc8-e936c8e54099",
    "0123456789abcdef0123456789abcdef",
    "192.168.0.1",
    "10.0.0.0/8",
    "/home/ma-user/start.sh",
    "ZWNobyBoZWxsbw==",
    "kubernetes.io/os",
    "http://127.0.0.1:1",
    "https://modelarts.cn-north-4.myhuaweicloud.com",
    "cn-north-4",
    "30m",
    "1h",
    "a&b",
    "名字",
    "\u{0}",
];

/// Depth limit of generated values, well below anything that could exhaust the stack.
const MAX_GEN_DEPTH: usize = 8;

/// Builds a value of type `ty` from fuzz bytes. `unknowns` allows unknown values (a configuration or a
/// proposed state may hold them; a prior state never does).
pub fn gen_value(
    u: &mut Unstructured<'_>,
    ty: &Type,
    unknowns: bool,
    depth: usize,
) -> ArbResult<Value> {
    let pick: u8 = u.arbitrary()?;
    if pick < 24 {
        return Ok(Value::Null);
    }
    if unknowns && pick < 40 {
        return Ok(Value::Unknown);
    }
    if depth >= MAX_GEN_DEPTH {
        return Ok(Value::Null);
    }
    let count = |u: &mut Unstructured<'_>| -> ArbResult<usize> {
        Ok(usize::from(u.arbitrary::<u8>()? % 4))
    };
    Ok(match ty {
        Type::String => Value::from(gen_string(u)?),
        Type::Number => gen_number(u)?,
        Type::Bool => Value::from(u.arbitrary::<bool>()?),
        Type::Dynamic => match u.arbitrary::<u8>()? % 3 {
            0 => Value::from(gen_string(u)?),
            1 => gen_number(u)?,
            _ => Value::from(u.arbitrary::<bool>()?),
        },
        Type::List(e) => {
            let n = count(u)?;
            Value::list(
                (0..n)
                    .map(|_| gen_value(u, e, unknowns, depth + 1))
                    .collect::<ArbResult<Vec<_>>>()?,
            )
        }
        Type::Set(e) => {
            let n = count(u)?;
            Value::set(
                (0..n)
                    .map(|_| gen_value(u, e, unknowns, depth + 1))
                    .collect::<ArbResult<Vec<_>>>()?,
            )
        }
        Type::Map(e) => {
            let n = count(u)?;
            let mut entries = Vec::with_capacity(n);
            for _ in 0..n {
                entries.push((gen_string(u)?, gen_value(u, e, unknowns, depth + 1)?));
            }
            Value::map(entries)
        }
        Type::Object(attrs) => {
            let mut out = Vec::with_capacity(attrs.len());
            for (k, t) in attrs {
                out.push((k.clone(), gen_value(u, t, unknowns, depth + 1)?));
            }
            Value::object(out)
        }
        Type::Tuple(ts) => Value::Tuple(
            ts.iter()
                .map(|t| gen_value(u, t, unknowns, depth + 1))
                .collect::<ArbResult<Vec<_>>>()?,
        ),
    })
}

fn gen_string(u: &mut Unstructured<'_>) -> ArbResult<String> {
    let pick: u8 = u.arbitrary()?;
    if usize::from(pick) < WORDS.len() * 4 {
        return Ok(WORDS[usize::from(pick) % WORDS.len()].to_string());
    }
    let s: String = u.arbitrary()?;
    Ok(if pick == 255 { s.repeat(200) } else { s })
}

fn gen_number(u: &mut Unstructured<'_>) -> ArbResult<Value> {
    Ok(match u.arbitrary::<u8>()? % 4 {
        0 => Value::from(i64::from(u.arbitrary::<i16>()?)),
        1 => Value::from(u.arbitrary::<i64>()?),
        2 => Value::from_f64(u.arbitrary::<f64>()?).unwrap_or(Value::from(0)),
        _ => Value::from(*u.choose(&[0i64, 1, 5, 100, 4096, 4097, -1, 512, 513])?),
    })
}

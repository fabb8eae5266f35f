//! A small, defensive GGUF header reader: tells a real model file from junk, a truncated
//! download or a renamed text file before llama.cpp sees it, and reads the metadata Wenshu shows.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use wenshu_core::ModelMetadata;

const MAGIC: &[u8; 4] = b"GGUF";
/// No sane key or string in a GGUF header is longer than this; a bigger length means damage.
const MAX_STRING: u64 = 64 << 20;
const DEFAULT_ALIGNMENT: u64 = 32;

/// Why a file is not a usable GGUF model.
#[derive(Debug, thiserror::Error)]
pub enum GgufError {
    #[error("file not found")]
    NotFound,
    #[error("is a directory, not a GGUF file")]
    IsDirectory,
    #[error("cannot read the file: {0}")]
    Io(#[from] io::Error),
    #[error("not a GGUF model file (it starts with {0:02x?}, a GGUF file starts with \"GGUF\")")]
    BadMagic(Vec<u8>),
    #[error("unsupported GGUF version {0} (versions 2 and 3 are supported)")]
    UnsupportedVersion(u32),
    #[error("the header is damaged: {0}")]
    Damaged(String),
    #[error("the file is truncated: it has {actual} bytes but its tensors need {expected}")]
    Truncated { actual: u64, expected: u64 },
}

/// A metadata value from the header. Arrays keep only their length: Wenshu reads no array.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Int(i128),
    Float(f64),
    Bool(bool),
    Str(String),
    Array(u64),
}

/// What the header of a GGUF file holds.
#[derive(Debug, Clone)]
pub struct GgufHeader {
    pub version: u32,
    pub values: HashMap<String, Value>,
    pub tensor_count: u64,
    pub parameters: u64,
    pub file_size: u64,
}

impl GgufHeader {
    fn str(&self, key: &str) -> Option<&str> {
        match self.values.get(key) {
            Some(Value::Str(s)) => Some(s),
            _ => None,
        }
    }

    fn int(&self, key: &str) -> Option<i128> {
        match self.values.get(key) {
            Some(Value::Int(i)) => Some(*i),
            _ => None,
        }
    }

    /// The metadata Wenshu records, with `fallback_name` when the file names no model.
    pub fn metadata(&self, fallback_name: &str) -> ModelMetadata {
        let architecture = self
            .str("general.architecture")
            .unwrap_or("unknown")
            .to_string();
        let context_length = self
            .int(&format!("{architecture}.context_length"))
            .and_then(|v| u32::try_from(v).ok())
            .unwrap_or(0);
        let quantization = self
            .int("general.file_type")
            .and_then(|v| u32::try_from(v).ok())
            .map_or_else(|| "unknown".to_string(), file_type_name);
        ModelMetadata {
            name: self
                .str("general.name")
                .filter(|s| !s.trim().is_empty())
                .unwrap_or(fallback_name)
                .to_string(),
            architecture,
            quantization,
            context_length,
            chat_template: self.str("tokenizer.chat_template").map(str::to_string),
            parameters: self.parameters,
            file_size: self.file_size,
        }
    }
}

/// Reads and checks the header of the GGUF file at `path`, including that the file is long
/// enough for every tensor it declares.
pub fn inspect(path: &Path) -> Result<GgufHeader, GgufError> {
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Err(GgufError::NotFound),
        Err(err) => return Err(err.into()),
    };
    if meta.is_dir() {
        return Err(GgufError::IsDirectory);
    }
    let file_size = meta.len();
    let mut reader = Reader {
        inner: BufReader::with_capacity(1 << 16, File::open(path)?),
        pos: 0,
    };

    let mut magic = [0u8; 4];
    let got = read_up_to(&mut reader.inner, &mut magic)?;
    if &magic[..got] != MAGIC {
        return Err(GgufError::BadMagic(magic[..got].to_vec()));
    }
    reader.pos = 4;
    let version = reader.u32()?;
    if !(2..=3).contains(&version) {
        return Err(GgufError::UnsupportedVersion(version));
    }
    let tensor_count = reader.u64()?;
    let kv_count = reader.u64()?;
    // Every entry takes at least a few bytes, so counts beyond the file size are damage.
    if tensor_count > file_size || kv_count > file_size {
        return Err(GgufError::Damaged(format!(
            "it declares {tensor_count} tensors and {kv_count} metadata keys in a {file_size}-byte file"
        )));
    }

    let mut values = HashMap::new();
    for _ in 0..kv_count {
        let key = reader.string()?;
        let kind = reader.u32()?;
        let value = reader.value(kind, file_size)?;
        values.insert(key, value);
    }

    let alignment = match values.get("general.alignment") {
        Some(Value::Int(a)) if *a > 0 => u64::try_from(*a).unwrap_or(DEFAULT_ALIGNMENT),
        _ => DEFAULT_ALIGNMENT,
    };
    let mut parameters: u64 = 0;
    let mut data_needed: u64 = 0;
    for _ in 0..tensor_count {
        let name = reader.string()?;
        let n_dims = reader.u32()?;
        if n_dims > 8 {
            return Err(GgufError::Damaged(format!(
                "tensor {name} has {n_dims} dimensions"
            )));
        }
        let mut elements: u64 = 1;
        for _ in 0..n_dims {
            elements = elements.saturating_mul(reader.u64()?);
        }
        let ggml_type = reader.u32()?;
        let offset = reader.u64()?;
        parameters = parameters.saturating_add(elements);
        let bytes = tensor_bytes(ggml_type, elements).unwrap_or(0);
        data_needed = data_needed.max(offset.saturating_add(bytes));
    }
    let data_start = reader.pos.div_ceil(alignment).saturating_mul(alignment);
    let expected = data_start.saturating_add(data_needed);
    if tensor_count > 0 && file_size < expected {
        return Err(GgufError::Truncated {
            actual: file_size,
            expected,
        });
    }
    Ok(GgufHeader {
        version,
        values,
        tensor_count,
        parameters,
        file_size,
    })
}

fn read_up_to(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

struct Reader {
    inner: BufReader<File>,
    pos: u64,
}

impl Reader {
    fn bytes<const N: usize>(&mut self) -> Result<[u8; N], GgufError> {
        let mut buf = [0u8; N];
        self.inner
            .read_exact(&mut buf)
            .map_err(|err| self.eof(err))?;
        self.pos += N as u64;
        Ok(buf)
    }

    fn eof(&self, err: io::Error) -> GgufError {
        if err.kind() == io::ErrorKind::UnexpectedEof {
            GgufError::Damaged(format!(
                "the file ends inside its header, at byte {}",
                self.pos
            ))
        } else {
            GgufError::Io(err)
        }
    }

    fn u32(&mut self) -> Result<u32, GgufError> {
        Ok(u32::from_le_bytes(self.bytes()?))
    }

    fn u64(&mut self) -> Result<u64, GgufError> {
        Ok(u64::from_le_bytes(self.bytes()?))
    }

    fn string(&mut self) -> Result<String, GgufError> {
        let len = self.u64()?;
        if len > MAX_STRING {
            return Err(GgufError::Damaged(format!(
                "a string at byte {} claims to be {len} bytes long",
                self.pos
            )));
        }
        let mut buf = vec![0u8; len as usize];
        self.inner
            .read_exact(&mut buf)
            .map_err(|err| self.eof(err))?;
        self.pos += len;
        Ok(String::from_utf8_lossy(&buf).into_owned())
    }

    fn skip(&mut self, n: u64) -> Result<(), GgufError> {
        let copied = io::copy(&mut (&mut self.inner).take(n), &mut io::sink())?;
        if copied != n {
            return Err(self.eof(io::ErrorKind::UnexpectedEof.into()));
        }
        self.pos += n;
        Ok(())
    }

    fn value(&mut self, kind: u32, file_size: u64) -> Result<Value, GgufError> {
        Ok(match kind {
            0 => Value::Int(i128::from(self.bytes::<1>()?[0])),
            1 => Value::Int(i128::from(i8::from_le_bytes(self.bytes()?))),
            2 => Value::Int(i128::from(u16::from_le_bytes(self.bytes()?))),
            3 => Value::Int(i128::from(i16::from_le_bytes(self.bytes()?))),
            4 => Value::Int(i128::from(self.u32()?)),
            5 => Value::Int(i128::from(i32::from_le_bytes(self.bytes()?))),
            6 => Value::Float(f64::from(f32::from_le_bytes(self.bytes()?))),
            7 => Value::Bool(self.bytes::<1>()?[0] != 0),
            8 => Value::Str(self.string()?),
            9 => {
                let item = self.u32()?;
                let count = self.u64()?;
                if count > file_size {
                    return Err(GgufError::Damaged(format!(
                        "an array at byte {} claims {count} items",
                        self.pos
                    )));
                }
                match fixed_size(item) {
                    Some(size) => self.skip(count.saturating_mul(size))?,
                    None => {
                        for _ in 0..count {
                            self.value(item, file_size)?;
                        }
                    }
                }
                Value::Array(count)
            }
            10 => Value::Int(i128::from(self.u64()?)),
            11 => Value::Int(i128::from(i64::from_le_bytes(self.bytes()?))),
            12 => Value::Float(f64::from_le_bytes(self.bytes()?)),
            other => {
                return Err(GgufError::Damaged(format!(
                    "unknown metadata type {other} at byte {}",
                    self.pos
                )));
            }
        })
    }
}

fn fixed_size(kind: u32) -> Option<u64> {
    match kind {
        0 | 1 | 7 => Some(1),
        2 | 3 => Some(2),
        4..=6 => Some(4),
        10..=12 => Some(8),
        _ => None,
    }
}

/// Bytes a tensor of `elements` elements of ggml type `ggml_type` occupies, when the type is known.
fn tensor_bytes(ggml_type: u32, elements: u64) -> Option<u64> {
    // (elements per block, bytes per block), from ggml's type traits.
    let (block, size): (u64, u64) = match ggml_type {
        0 => (1, 4),     // F32
        1 => (1, 2),     // F16
        2 => (32, 18),   // Q4_0
        3 => (32, 20),   // Q4_1
        6 => (32, 22),   // Q5_0
        7 => (32, 24),   // Q5_1
        8 => (32, 34),   // Q8_0
        9 => (32, 36),   // Q8_1
        10 => (256, 84), // Q2_K
        11 => (256, 110),
        12 => (256, 144), // Q4_K
        13 => (256, 176), // Q5_K
        14 => (256, 210), // Q6_K
        15 => (256, 292), // Q8_K
        16 => (256, 66),  // IQ2_XXS
        17 => (256, 74),  // IQ2_XS
        18 => (256, 98),  // IQ3_XXS
        19 => (256, 50),  // IQ1_S
        20 => (32, 18),   // IQ4_NL
        21 => (256, 110), // IQ3_S
        22 => (256, 82),  // IQ2_S
        23 => (256, 136), // IQ4_XS
        24 => (1, 1),     // I8
        25 => (1, 2),     // I16
        26 => (1, 4),     // I32
        27 => (1, 8),     // I64
        28 => (1, 8),     // F64
        29 => (256, 56),  // IQ1_M
        30 => (1, 2),     // BF16
        _ => return None,
    };
    Some(elements.div_ceil(block).saturating_mul(size))
}

/// The name llama.cpp gives a `general.file_type` value.
pub fn file_type_name(file_type: u32) -> String {
    let name = match file_type {
        0 => "F32",
        1 => "F16",
        2 => "Q4_0",
        3 => "Q4_1",
        7 => "Q8_0",
        8 => "Q5_0",
        9 => "Q5_1",
        10 => "Q2_K",
        11 => "Q3_K_S",
        12 => "Q3_K_M",
        13 => "Q3_K_L",
        14 => "Q4_K_S",
        15 => "Q4_K_M",
        16 => "Q5_K_S",
        17 => "Q5_K_M",
        18 => "Q6_K",
        19 => "IQ2_XXS",
        20 => "IQ2_XS",
        21 => "Q2_K_S",
        22 => "IQ3_XS",
        23 => "IQ3_XXS",
        24 => "IQ1_S",
        25 => "IQ4_NL",
        26 => "IQ3_S",
        27 => "IQ3_M",
        28 => "IQ2_S",
        29 => "IQ2_M",
        30 => "IQ4_XS",
        31 => "IQ1_M",
        32 => "BF16",
        36 => "TQ1_0",
        37 => "TQ2_0",
        38 => "MXFP4_MOE",
        other => return format!("type {other}"),
    };
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn write(bytes: &[u8]) -> tempfile::NamedTempFile {
        let mut file = tempfile::NamedTempFile::new().expect("temp file");
        file.write_all(bytes).expect("write");
        file
    }

    fn header(tensors: u64, kvs: u64) -> Vec<u8> {
        let mut out = b"GGUF".to_vec();
        out.extend(3u32.to_le_bytes());
        out.extend(tensors.to_le_bytes());
        out.extend(kvs.to_le_bytes());
        out
    }

    fn string(out: &mut Vec<u8>, s: &str) {
        out.extend((s.len() as u64).to_le_bytes());
        out.extend(s.as_bytes());
    }

    #[test]
    fn text_file_is_not_gguf() {
        let file = write("这不是模型文件".as_bytes());
        assert!(matches!(inspect(file.path()), Err(GgufError::BadMagic(_))));
    }

    #[test]
    fn empty_file_is_not_gguf() {
        let file = write(b"");
        assert!(matches!(inspect(file.path()), Err(GgufError::BadMagic(b)) if b.is_empty()));
    }

    #[test]
    fn reads_metadata_and_detects_truncated_tensor_data() {
        let mut bytes = header(1, 2);
        string(&mut bytes, "general.architecture");
        bytes.extend(8u32.to_le_bytes());
        string(&mut bytes, "qwen2");
        string(&mut bytes, "qwen2.context_length");
        bytes.extend(4u32.to_le_bytes());
        bytes.extend(32768u32.to_le_bytes());
        string(&mut bytes, "w");
        bytes.extend(1u32.to_le_bytes());
        bytes.extend(64u64.to_le_bytes());
        bytes.extend(0u32.to_le_bytes()); // F32: 256 bytes of data
        bytes.extend(0u64.to_le_bytes());
        let data_start = (bytes.len() as u64).div_ceil(32) * 32;

        let mut full = bytes.clone();
        full.resize(data_start as usize + 256, 0);
        let header = inspect(write(&full).path()).expect("a complete file parses");
        let meta = header.metadata("fallback");
        assert_eq!(meta.architecture, "qwen2");
        assert_eq!(meta.context_length, 32768);
        assert_eq!(
            meta.name, "fallback",
            "no general.name: the file stem is used"
        );
        assert_eq!(meta.parameters, 64);

        let mut short = bytes;
        short.resize(data_start as usize + 100, 0);
        match inspect(write(&short).path()) {
            Err(GgufError::Truncated { actual, expected }) => {
                assert_eq!(expected, data_start + 256);
                assert_eq!(actual, data_start + 100);
            }
            other => panic!("a short file must be reported as truncated, got {other:?}"),
        }
    }

    #[test]
    fn absurd_string_length_is_damage_not_allocation() {
        let mut bytes = header(0, 1);
        bytes.extend(u64::MAX.to_le_bytes());
        assert!(matches!(
            inspect(write(&bytes).path()),
            Err(GgufError::Damaged(_))
        ));
    }

    #[test]
    fn directory_and_missing_file_are_named() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(matches!(inspect(dir.path()), Err(GgufError::IsDirectory)));
        assert!(matches!(
            inspect(&dir.path().join("none.gguf")),
            Err(GgufError::NotFound)
        ));
    }
}

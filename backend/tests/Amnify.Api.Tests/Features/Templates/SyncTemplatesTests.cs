using System.Net;
using Amnify.Api.Features.Templates;
using Amnify.Api.Http;

namespace Amnify.Api.Tests.Features.Templates;

[Collection(nameof(TemplatesCollection))]
public sealed class SyncTemplatesTests(ApiFactory factory) : TemplatesTestBase(factory)
{
    [Fact]
    public async Task The_shipped_examples_import_for_every_provider_and_a_second_sync_changes_nothing()
    {
        var client = api.CreateClient();
        var first = await Sync(client);
        first.Rejected.Should().BeEmpty();
        first.Imported.Concat(first.Updated).Concat(first.Unchanged).Should().Contain(["aws-network", "aws-database", "aws-application",
            "azure-network", "azure-database", "azure-application", "gcp-network", "gcp-database", "gcp-application"]);

        var second = await Sync(client);
        second.Imported.Should().BeEmpty();
        second.Updated.Should().BeEmpty();
        second.Unchanged.Should().Contain("aws-network");

        var template = await (await client.GetAsync("/api/v1/templates/aws-database")).Read<Template>();
        template.Variables.Single(v => v.Name == "admin_password").Sensitive.Should().BeTrue();
        template.Files.Should().Contain(["main.tf", "template.json"]);
    }

    [Fact]
    public async Task A_bad_manifest_is_rejected_with_its_path_and_every_reason_and_nothing_of_it_is_imported()
    {
        var id = $"bad-{Guid.NewGuid():N}"[..20];
        folder.Add("aws", "broken", new
        {
            id, name = "Broken", category = "magic", cloud_provider = "gcp", iac_type = "pulumi",
            variables = new object[] { new { name = "size", type = "float" }, new { name = "ghost", type = "string" } },
        }, "variable \"size\" {}\n");
        folder.AddValid("aws", $"ok-{Guid.NewGuid():N}"[..20]);
        var client = ClientFor(folder.Root);

        var result = await Sync(client);

        var rejected = result.Rejected.Should().ContainSingle().Subject;
        rejected.Path.Should().Be("templates/aws/broken");
        rejected.Reasons.Should().Contain(r => r.StartsWith("description"))
            .And.Contain(r => r.StartsWith("category"))
            .And.Contain(r => r.StartsWith("cloud_provider"))
            .And.Contain(r => r.StartsWith("iac_type"))
            .And.Contain(r => r.StartsWith("variables[0].type"))
            .And.Contain(r => r.Contains("'ghost' has no variable"));
        result.Imported.Should().ContainSingle();
        (await client.GetAsync($"/api/v1/templates/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_changed_template_becomes_a_new_version_and_a_removed_one_leaves_the_catalogue()
    {
        var id = $"chg-{Guid.NewGuid():N}"[..20];
        var gone = $"gone-{Guid.NewGuid():N}"[..20];
        folder.AddValid("gcp", id, Variable("a"));
        folder.AddValid("gcp", gone);
        var client = ClientFor(folder.Root);
        (await Sync(client)).Imported.Should().Contain([id, gone]);
        var before = await (await client.GetAsync($"/api/v1/templates/{id}")).Read<Template>();

        folder.AddValid("gcp", id, Variable("a"), Variable("b", "number"));
        folder.Remove("gcp", gone);
        var result = await Sync(client);

        result.Updated.Should().Contain(id);
        result.Removed.Should().Contain(gone);
        var after = await (await client.GetAsync($"/api/v1/templates/{id}")).Read<Template>();
        after.Version.Should().NotBe(before.Version);
        after.Variables.Select(v => v.Name).Should().Equal("a", "b");
        var catalogue = await (await client.GetAsync("/api/v1/templates?provider=gcp&limit=200")).Read<Page<Template>>();
        catalogue.Items.Select(t => t.Id).Should().Contain(id).And.NotContain(gone);
    }

    [Fact]
    public async Task A_git_repository_is_pulled_and_imported()
    {
        var id = $"git-{Guid.NewGuid():N}"[..20];
        folder.AddValid("azure", id, Variable("name", required: true));
        var url = folder.CommitAsGitRepository();

        // A file:// repository is a local transport: it syncs only where the server is configured to allow it.
        var result = await Sync(api.WithWebHostBuilder(b =>
        {
            b.UseSetting("Templates:Source", url);
            b.UseSetting("Templates:AllowedGitProtocols", "https,ssh,file");
        }).CreateClient());

        result.Imported.Should().Contain(id);
    }

    [Fact]
    public async Task A_source_that_does_not_exist_answers_422_saying_so()
    {
        var response = await ClientFor("/nowhere/at/all").PostEmpty("/api/v1/templates/sync");

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await response.ReadProblem()).Detail.Should().Contain("/nowhere/at/all");
    }
}

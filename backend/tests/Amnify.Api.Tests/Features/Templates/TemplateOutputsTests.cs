using Amnify.Api.Features.Deployments;
using Amnify.Api.Features.Templates;
using Amnify.Api.Http;

namespace Amnify.Api.Tests.Features.Templates;

[CollectionDefinition(nameof(TemplateOutputsCollection))]
public sealed class TemplateOutputsCollection : ICollectionFixture<ApiFactory>;

/// <summary>Outputs are known before anything runs (read at sync), and a deployment shows those of its last apply.</summary>
[Collection(nameof(TemplateOutputsCollection))]
public sealed class TemplateOutputsTests(ApiFactory api) : IAsyncLifetime
{
    private readonly HttpClient client = api.CreateClient();

    public Task InitializeAsync() => client.SyncExamples();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_template_lists_the_outputs_its_tf_files_declare()
    {
        var template = await (await client.GetAsync("/api/v1/templates/aws-database")).Read<Template>();
        template.Outputs.Should().Equal(
            new TemplateOutput { Name = "connection_string", Description = "Full connection string, with the administrator password", Sensitive = true },
            new TemplateOutput { Name = "endpoint", Description = "Host and port applications connect to", Sensitive = false });

        var listed = await (await client.GetAsync("/api/v1/templates?provider=aws&q=VPC")).Read<Page<Template>>();
        listed.Items.Should().ContainSingle().Which.Outputs.Select(o => o.Name).Should().Equal("network_id", "subnet_ids", "vpc_id");
    }

    [Fact]
    public async Task A_deployment_shows_the_outputs_of_its_last_apply_with_sensitive_ones_masked()
    {
        var database = await client.Deployment("aws", "database");
        (await (await client.GetAsync($"/api/v1/deployments/{database.Id}")).Read<Deployment>()).Outputs.Should().BeEmpty();

        await client.RunThrough(database.Id);

        var outputs = (await (await client.GetAsync($"/api/v1/deployments/{database.Id}")).Read<Deployment>()).Outputs!;
        outputs.Select(o => (o.Name, o.Sensitive)).Should().Equal(("connection_string", true), ("endpoint", false));
        outputs[0].Value.Should().BeNull();
        outputs[1].Value!.Value.GetString().Should().Be("db.aws-db.internal:5432");
    }
}

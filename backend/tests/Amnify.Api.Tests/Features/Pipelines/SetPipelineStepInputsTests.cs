using System.Net;
using Amnify.Api.Features.Pipelines;

namespace Amnify.Api.Tests.Features.Pipelines;

[CollectionDefinition(nameof(StepInputsCollection))]
public sealed class StepInputsCollection : ICollectionFixture<ApiFactory>;

/// <summary>Wiring a step's variables to earlier steps' outputs: every rule checked when saved, and edits that would break it refused.</summary>
[Collection(nameof(StepInputsCollection))]
public sealed class SetPipelineStepInputsTests(ApiFactory api) : IAsyncLifetime
{
    private readonly HttpClient client = api.CreateClient();

    public Task InitializeAsync() => client.SyncExamples();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>network → database → application, unwired.</summary>
    private async Task<(Pipeline Pipeline, PipelineStep Network, PipelineStep Database, PipelineStep Application)> Chain()
    {
        var network = await client.Deployment("aws", "network");
        var database = await client.Deployment("aws", "database");
        var application = await client.Deployment("aws", "application");
        var (pipeline, _) = await client.Pipeline(network.Id, database.Id, application.Id);
        return (pipeline, pipeline.Steps[0], pipeline.Steps[1], pipeline.Steps[2]);
    }

    private async Task<Dictionary<string, string[]>> Refused(Guid pipelineId, Guid stepId, params object[] inputs)
    {
        var response = await client.PutInputs(pipelineId, stepId, inputs);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        return (await response.ReadProblem()).Errors!;
    }

    [Fact]
    public async Task Saved_inputs_are_listed_on_the_step_of_the_pipeline()
    {
        var (pipeline, network, database, _) = await Chain();
        var saved = await client.Wire(pipeline.Id, database.Id,
            new { variable = "vpc_id", fromStepId = network.Id, output = "vpc_id" },
            new { variable = "subnet_ids", fromStepId = network.Id, output = "subnet_ids" });

        saved.Version.Should().BeGreaterThan(pipeline.Version);
        var read = await (await client.GetAsync($"/api/v1/pipelines/{pipeline.Id}")).Read<Pipeline>();
        read.Steps[1].Inputs.Should().Equal(new StepInput("subnet_ids", network.Id, "subnet_ids"), new StepInput("vpc_id", network.Id, "vpc_id"));
        read.Steps[0].Inputs.Should().BeEmpty();

        await client.Wire(pipeline.Id, database.Id);
        (await (await client.GetAsync($"/api/v1/pipelines/{pipeline.Id}")).Read<Pipeline>()).Steps[1].Inputs.Should().BeEmpty();
    }

    [Fact]
    public async Task A_value_can_only_come_from_an_earlier_step()
    {
        var (pipeline, network, database, application) = await Chain();
        (await Refused(pipeline.Id, database.Id, new { variable = "vpc_id", fromStepId = application.Id, output = "db_endpoint" }))
            .Should().ContainKey("inputs[0].fromStepId").WhoseValue.Single().Should().Contain("earlier step");
        (await Refused(pipeline.Id, network.Id, new { variable = "name", fromStepId = network.Id, output = "vpc_id" }))
            .Should().ContainKey("inputs[0].fromStepId");
        (await Refused(pipeline.Id, network.Id, new { variable = "name", fromStepId = Guid.NewGuid(), output = "vpc_id" }))
            .Should().ContainKey("inputs[0].fromStepId");
    }

    [Fact]
    public async Task The_variable_must_exist_in_the_steps_template()
    {
        var (pipeline, network, database, _) = await Chain();
        (await Refused(pipeline.Id, database.Id, new { variable = "no_such_variable", fromStepId = network.Id, output = "vpc_id" }))
            .Should().ContainKey("inputs[0].variable").WhoseValue.Single().Should().Contain("no_such_variable");
    }

    [Fact]
    public async Task The_output_must_exist_in_the_source_steps_template()
    {
        var (pipeline, network, database, _) = await Chain();
        (await Refused(pipeline.Id, database.Id, new { variable = "vpc_id", fromStepId = network.Id, output = "no_such_output" }))
            .Should().ContainKey("inputs[0].output").WhoseValue.Single().Should().Contain("no_such_output");
    }

    [Fact]
    public async Task A_sensitive_output_feeds_only_a_sensitive_variable()
    {
        var (pipeline, _, database, application) = await Chain();
        (await Refused(pipeline.Id, application.Id, new { variable = "db_endpoint", fromStepId = database.Id, output = "connection_string" }))
            .Should().ContainKey("inputs[0].variable").WhoseValue.Single().Should().Contain("sensitive");
        await client.Wire(pipeline.Id, application.Id, new { variable = "db_connection_string", fromStepId = database.Id, output = "connection_string" });
    }

    [Fact]
    public async Task A_variable_is_wired_once()
    {
        var (pipeline, network, database, _) = await Chain();
        (await Refused(pipeline.Id, database.Id,
                new { variable = "vpc_id", fromStepId = network.Id, output = "vpc_id" },
                new { variable = "vpc_id", fromStepId = network.Id, output = "network_id" }))
            .Should().ContainKey("inputs[1].variable");
    }

    [Fact]
    public async Task Missing_fields_are_named()
    {
        var (pipeline, _, database, _) = await Chain();
        var errors = await Refused(pipeline.Id, database.Id, new { variable = "", output = "" });
        errors.Keys.Should().Contain(k => k.StartsWith("inputs[0].", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Saving_inputs_with_a_stale_etag_answers_412()
    {
        var (pipeline, network, database, _) = await Chain();
        var response = await client.PutInputs(pipeline.Id, database.Id, [new { variable = "vpc_id", fromStepId = network.Id, output = "vpc_id" }],
            etag: $"\"{pipeline.Version - 1}\"");
        response.StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);
        var fresh = await client.PutInputs(pipeline.Id, database.Id, [new { variable = "vpc_id", fromStepId = network.Id, output = "vpc_id" }],
            etag: $"\"{pipeline.Version}\"");
        fresh.StatusCode.Should().Be(HttpStatusCode.OK);
        fresh.Headers.ETag!.ToString().Should().Be($"\"{pipeline.Version + 1}\"");
    }

    [Fact]
    public async Task A_reorder_that_puts_a_consumer_before_its_source_answers_409_naming_both()
    {
        var (pipeline, network, database, application) = await Chain();
        await client.Wire(pipeline.Id, database.Id, new { variable = "vpc_id", fromStepId = network.Id, output = "vpc_id" });
        var names = (await (await client.GetAsync($"/api/v1/pipelines/{pipeline.Id}")).Read<Pipeline>()).Steps.Select(s => s.DeploymentName).ToArray();

        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/pipelines/{pipeline.Id}/steps/order")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { stepIds = new[] { database.Id, network.Id, application.Id } }, options: ApiFactory.Json),
        };
        var refused = await client.SendAsync(request);
        refused.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await refused.ReadProblem()).Detail.Should().Contain(names[0]).And.Contain(names[1]).And.Contain("vpc_id");

        var allowed = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/pipelines/{pipeline.Id}/steps/order")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { stepIds = new[] { network.Id, application.Id, database.Id } }, options: ApiFactory.Json),
        };
        (await client.SendAsync(allowed)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Removing_a_step_that_feeds_another_answers_409_unless_forced_which_removes_the_wiring()
    {
        var (pipeline, network, database, _) = await Chain();
        await client.Wire(pipeline.Id, database.Id, new { variable = "vpc_id", fromStepId = network.Id, output = "vpc_id" });

        var refused = await client.DeleteAsync($"/api/v1/pipelines/{pipeline.Id}/steps/{network.Id}");
        refused.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await refused.ReadProblem()).Detail.Should().Contain(database.DeploymentName).And.Contain("vpc_id");

        var forced = await client.DeleteAsync($"/api/v1/pipelines/{pipeline.Id}/steps/{network.Id}?force=true");
        forced.StatusCode.Should().Be(HttpStatusCode.OK, await forced.Content.ReadAsStringAsync());
        var left = await forced.Read<Pipeline>();
        left.Steps.Select(s => s.Id).Should().Equal(database.Id, left.Steps[1].Id);
        left.Steps.Should().OnlyContain(s => s.Inputs.Length == 0);
    }
}

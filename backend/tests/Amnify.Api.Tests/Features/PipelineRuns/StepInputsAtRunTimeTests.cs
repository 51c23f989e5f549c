using Amnify.Api.Engine;

namespace Amnify.Api.Tests.Features.PipelineRuns;

[CollectionDefinition(nameof(ChainedRunsCollection))]
public sealed class ChainedRunsCollection : ICollectionFixture<ApiFactory>;

/// <summary>Step inputs at run time, on real Terraform: values flow from the source deployments' state into the steps' runs.</summary>
[Collection(nameof(ChainedRunsCollection))]
public sealed class StepInputsAtRunTimeTests(ApiFactory api) : IAsyncLifetime
{
    private readonly HttpClient client = api.CreateClient();

    public Task InitializeAsync() => client.SyncExamples();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Outputs_of_applied_steps_become_later_steps_variables_with_their_origin_and_sensitive_ones_stay_sealed()
    {
        var network = await client.Deployment("aws", "network");
        var database = await client.Deployment("aws", "database", new() { ["name"] = "orders", ["admin_password"] = "Chained-s3cret-pw" });
        var application = await client.Deployment("aws", "application");
        var (pipeline, _) = await client.Pipeline(network.Id, database.Id, application.Id);
        var steps = pipeline.Steps;
        await client.Wire(pipeline.Id, steps[1].Id, new { variable = "vpc_id", fromStepId = steps[0].Id, output = "vpc_id" });
        await client.Wire(pipeline.Id, steps[2].Id,
            new { variable = "db_endpoint", fromStepId = steps[1].Id, output = "endpoint" },
            new { variable = "db_connection_string", fromStepId = steps[1].Id, output = "connection_string" });

        var run = await client.ApproveUntilDone((await client.StartPipeline(pipeline.Id)).Id);

        run.Status.Should().Be(PipelineRunStatus.Completed);
        run.Steps[2].Inputs.Select(i => (i.Variable, i.FromPosition, i.Output)).Should().Equal(
            ("db_connection_string", 2, "connection_string"), ("db_endpoint", 2, "endpoint"));
        var networkRun = await client.Run(run.Steps[0].DeploymentRunId!.Value);
        var databaseRun = await client.Run(run.Steps[1].DeploymentRunId!.Value);
        databaseRun.VariableOrigins.Should().Equal(new VariableOrigin("vpc_id", $"step 1 · {network.Name} · output vpc_id", false));
        var applicationRun = await client.Run(run.Steps[2].DeploymentRunId!.Value);
        applicationRun.Outputs!["db_endpoint"].Value.GetString().Should().Be("orders.aws-db.internal:5432");
        applicationRun.VariableOrigins.Should().ContainSingle(o => o.Variable == "db_connection_string").Which.Sensitive.Should().BeTrue();
        networkRun.Outputs!["vpc_id"].Value.GetString().Should().StartWith("aws-net-");
        (await api.DatabaseContains("Chained-s3cret-pw")).Should().BeFalse("the connection string carries the password, sealed");
    }

    [Fact]
    public async Task A_skipped_source_gives_its_current_output_so_an_unchanged_consumer_is_skipped_and_a_changed_output_makes_it_plan_changes()
    {
        var database = await client.Deployment("aws", "database", new() { ["name"] = "first", ["admin_password"] = "Sup3r-secret" });
        var application = await client.Deployment("aws", "application");
        var (pipeline, _) = await client.Pipeline(database.Id, application.Id);
        await client.Wire(pipeline.Id, pipeline.Steps[1].Id, new { variable = "db_endpoint", fromStepId = pipeline.Steps[0].Id, output = "endpoint" });
        (await client.ApproveUntilDone((await client.StartPipeline(pipeline.Id)).Id)).Status.Should().Be(PipelineRunStatus.Completed);

        var again = await client.ApproveUntilDone((await client.StartPipeline(pipeline.Id)).Id);
        again.Steps.Select(s => (s.Status, s.SkipReason)).Should().Equal(
            (PipelineStepStatus.Skipped, StepSkipReason.NoChanges), (PipelineStepStatus.Skipped, StepSkipReason.NoChanges));
        (await client.Run(again.Steps[1].DeploymentRunId!.Value)).VariableOrigins.Should().ContainSingle().Which.Variable.Should().Be("db_endpoint");

        await client.SetVariables(database.Id, new() { ["name"] = "second", ["admin_password"] = "Sup3r-secret" });
        var changed = await client.ApproveUntilDone((await client.StartPipeline(pipeline.Id)).Id);
        changed.Steps.Select(s => s.Status).Should().Equal(PipelineStepStatus.Completed, PipelineStepStatus.Completed);
        (await client.Run(changed.Steps[1].DeploymentRunId!.Value)).Outputs!["db_endpoint"].Value.GetString().Should().Be("second.aws-db.internal:5432");
    }

    [Fact]
    public async Task An_output_missing_at_run_time_fails_the_step_before_init_naming_the_step_the_output_and_its_source()
    {
        // A private service has no url: Terraform keeps no null output in its state.
        var privateService = await client.Deployment("aws", "application", new() { ["name"] = "internal", ["image"] = "nginx:1.27", ["public"] = false });
        var consumer = await client.Deployment("aws", "application");
        var (pipeline, _) = await client.Pipeline(privateService.Id, consumer.Id);
        await client.Wire(pipeline.Id, pipeline.Steps[1].Id, new { variable = "db_endpoint", fromStepId = pipeline.Steps[0].Id, output = "url" });

        var run = await client.ApproveUntilDone((await client.StartPipeline(pipeline.Id)).Id);

        run.Status.Should().Be(PipelineRunStatus.Failed);
        var failed = run.Steps[1];
        failed.Status.Should().Be(PipelineStepStatus.Failed);
        failed.DeploymentRunId.Should().BeNull("it failed before its deployment run, and so before terraform init");
        failed.Error.Should().Contain("Step 2").And.Contain("'url'").And.Contain("step 1").And.Contain(privateService.Name);
    }
}

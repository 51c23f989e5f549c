using System.Text.Json;
using Amnify.Api.Engine;
using Amnify.Api.Features.PipelineRuns;

namespace Amnify.Api.Tests.Cli;

/// <summary>
/// The packed `amnify` tool against the running product, once per exit code a CI job branches on. The README's
/// GitHub Actions and GitLab CI recipes are run here word for word.
/// </summary>
[Trait("Category", "Processes")]
public sealed class AmnifyCliTests(CliFixture cli) : IClassFixture<CliFixture>
{
    /// <summary>The script line of the README's GitHub Actions job.</summary>
    public const string GitHubActionsLine = """amnify pipeline run "$AMNIFY_PIPELINE" --idempotency-key "github-$GITHUB_RUN_ID" --wait --timeout 30m""";

    /// <summary>The script line of the README's GitLab CI job.</summary>
    public const string GitLabCiLine = """amnify pipeline run "$AMNIFY_PIPELINE" --idempotency-key "gitlab-$CI_PIPELINE_ID" --wait --timeout 30m""";

    [Fact]
    public async Task The_README_recipes_are_the_command_lines_tested_here()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(ApiFactory.RepositoryRoot, "README.md"));

        readme.Should().Contain(GitHubActionsLine).And.Contain(GitLabCiLine);
    }

    [Fact]
    public async Task The_GitHub_Actions_recipe_exits_0_when_the_run_completes()
    {
        var pipeline = await cli.Pipeline();
        using var stop = new CancellationTokenSource();
        var approver = cli.ApproveEverything(pipeline.Id, stop.Token);

        var result = await cli.Shell(GitHubActionsLine, new Dictionary<string, string> { ["AMNIFY_PIPELINE"] = pipeline.Name, ["GITHUB_RUN_ID"] = "4711" });
        await stop.CancelAsync();
        await approver.ContinueWith(_ => { });

        result.ExitCode.Should().Be(0, result.ToString());
        result.Output.Should().Contain("step 1").And.Contain("completed");
        result.Output.Should().Contain($"{cli.Api.BaseAddress}aws/pipeline-runs/", "each line links to the run's page");
        result.Output.Should().NotContain("polling", "the event stream carried the wait");
    }

    [Fact]
    public async Task A_wait_falls_back_to_polling_when_the_event_stream_is_refused()
    {
        var pipeline = await cli.Pipeline();
        var other = await cli.Pipeline();
        var held = await (await cli.Admin.PostEmpty($"/api/v1/pipelines/{other.Id}/runs")).Read<PipelineRun>();
        var streams = new List<HttpResponseMessage>();
        for (var i = 0; i < CliFixture.StreamsPerUser; i++)
            streams.Add(await cli.Admin.GetAsync($"/api/v1/pipeline-runs/{held.Id}/events", HttpCompletionOption.ResponseHeadersRead));
        using var stop = new CancellationTokenSource();
        var approver = cli.ApproveEverything(pipeline.Id, stop.Token);

        var result = await cli.Amnify("pipeline", "run", pipeline.Name, "--wait", "--timeout", "5m");
        await stop.CancelAsync();
        await approver.ContinueWith(_ => { });
        foreach (var s in streams) s.Dispose();
        await cli.Amnify("run", "cancel", held.Id.ToString());

        streams.Should().OnlyContain(s => s.IsSuccessStatusCode, "the test holds every stream the user may open");
        result.ExitCode.Should().Be(0, result.ToString());
        result.Output.Should().Contain("event stream refused (429); polling every 2 s").And.Contain("completed");
    }

    [Fact]
    public async Task The_GitLab_CI_recipe_exits_1_when_a_step_fails()
    {
        var pipeline = await cli.Pipeline(CliFixture.BrokenTemplate);

        var result = await cli.Shell(GitLabCiLine, new Dictionary<string, string> { ["AMNIFY_PIPELINE"] = pipeline.Name, ["CI_PIPELINE_ID"] = "815" });

        result.ExitCode.Should().Be(1, result.ToString());
        result.Output.Should().Contain("failed");
    }

    [Fact]
    public async Task Waiting_until_approval_exits_3_at_the_first_gate()
    {
        var pipeline = await cli.Pipeline();

        var result = await cli.Amnify("pipeline", "run", pipeline.Id.ToString(), "--until", "approval", "--timeout", "5m", "--output", "json");

        result.ExitCode.Should().Be(3, result.ToString());
        var run = JsonSerializer.Deserialize<PipelineRun>(result.Output, ApiFactory.Json)!;
        run.Status.Should().Be(PipelineRunStatus.AwaitingApproval, "stdout holds only the server's JSON of the run");
        (await cli.Amnify("run", "cancel", run.Id.ToString())).ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task A_wait_that_times_out_at_a_gate_exits_3_and_a_retry_with_the_same_key_follows_the_same_run()
    {
        var pipeline = await cli.Pipeline();
        var first = await cli.Amnify("pipeline", "run", pipeline.Name, "--idempotency-key", "job-1", "--output", "json");
        first.ExitCode.Should().Be(0, first.ToString());
        var run = JsonSerializer.Deserialize<PipelineRun>(first.Output, ApiFactory.Json)!;
        await cli.UntilAwaitingApproval(run.Id);

        var retry = await cli.Amnify("pipeline", "run", pipeline.Name, "--idempotency-key", "job-1", "--wait", "--timeout", "3s");

        retry.ExitCode.Should().Be(3, retry.ToString());
        retry.Output.Should().Contain($"#{run.Number}").And.Contain("waiting for plan approval");
        (await cli.Amnify("run", "cancel", run.Id.ToString())).ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task A_cancelled_run_exits_2()
    {
        var pipeline = await cli.Pipeline();
        var started = await cli.Amnify("pipeline", "run", pipeline.Name, "--idempotency-key", "job-2", "--output", "json");
        var run = JsonSerializer.Deserialize<PipelineRun>(started.Output, ApiFactory.Json)!;

        var cancel = await cli.Amnify("run", "cancel", run.Id.ToString());
        var waited = await cli.Amnify("pipeline", "run", pipeline.Name, "--idempotency-key", "job-2", "--wait");

        cancel.ExitCode.Should().Be(0, cancel.ToString());
        waited.ExitCode.Should().Be(2, waited.ToString());
        waited.Output.Should().Contain("cancelled");
    }

    [Fact]
    public async Task A_run_rejected_through_the_CLI_exits_2_and_resume_starts_it_again()
    {
        var pipeline = await cli.Pipeline();
        var started = await cli.Amnify("pipeline", "run", pipeline.Name, "--output", "json");
        var run = await cli.UntilAwaitingApproval(JsonSerializer.Deserialize<PipelineRun>(started.Output, ApiFactory.Json)!.Id);

        var bare = await cli.Amnify("run", "reject", run.Id.ToString());
        var rejected = await cli.Amnify("run", "reject", run.Id.ToString(), "--comment", "wrong region");
        var followed = await cli.Amnify("run", "logs", run.Id.ToString(), "--follow");
        var resumed = await cli.Amnify("run", "resume", run.Id.ToString(), "--output", "json");

        bare.ExitCode.Should().Be(4, "a rejection without a reason is refused before anything is asked: " + bare);
        rejected.ExitCode.Should().Be(0, rejected.ToString());
        followed.ExitCode.Should().Be(2, "a rejected run was stopped by a person: " + followed);
        resumed.ExitCode.Should().Be(0, resumed.ToString());
        var again = JsonDocument.Parse(resumed.Output).RootElement;
        again.GetProperty("resumedFromRunId").GetGuid().Should().Be(run.Id);
        (await cli.Amnify("run", "cancel", again.GetProperty("id").GetString()!)).ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task Approving_through_the_CLI_moves_the_gate_on()
    {
        var pipeline = await cli.Pipeline();
        var started = await cli.Amnify("pipeline", "run", pipeline.Name, "--output", "json");
        var run = await cli.UntilAwaitingApproval(JsonSerializer.Deserialize<PipelineRun>(started.Output, ApiFactory.Json)!.Id);

        var approved = await cli.Amnify("run", "approve-plan", run.Id.ToString());
        var shown = await cli.Amnify("run", "show", run.Steps[0].DeploymentRunId!.Value.ToString(), "--output", "json");

        approved.ExitCode.Should().Be(0, approved.ToString());
        shown.ExitCode.Should().Be(0, shown.ToString());
        JsonDocument.Parse(shown.Output).RootElement.GetProperty("planApprovedBy").GetString().Should().NotBeNullOrEmpty();
        (await cli.Amnify("run", "cancel", run.Id.ToString())).ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task Following_the_logs_of_a_failed_run_prints_Terraform_and_exits_1()
    {
        var pipeline = await cli.Pipeline(CliFixture.BrokenTemplate);
        var run = await (await cli.Admin.PostEmpty($"/api/v1/pipelines/{pipeline.Id}/runs")).Read<PipelineRun>();

        var result = await cli.Amnify("run", "logs", run.Id.ToString(), "--follow");

        result.ExitCode.Should().Be(1, result.ToString());
        result.Output.Should().Contain("== step 1").And.Contain("/nonexistent/cli", "Terraform's own error is in the log");
    }

    [Fact]
    public async Task Running_one_deployment_until_approval_exits_3_at_its_plan_gate()
    {
        var deployment = await cli.Admin.Deployment(template: CliFixture.Template.Replace("aws-", ""), variables: new() { ["name"] = "one" });

        var result = await cli.Amnify("deployments", "run", deployment.Name, "--provider", "aws", "--until", "approval");

        result.ExitCode.Should().Be(3, result.ToString());
        result.Output.Should().Contain("waiting for plan approval (amnify run approve-plan ");
        var runId = result.Output.Split("approve-plan ")[1][..36];
        var cancelled = await cli.Amnify("run", "cancel", runId, "--reason", "test over", "--output", "json");
        cancelled.ExitCode.Should().Be(0, cancelled.ToString());
        JsonDocument.Parse(cancelled.Output).RootElement.GetProperty("cancelReason").GetString().Should().Be("test over");
    }

    [Fact]
    public async Task A_bad_token_exits_4()
    {
        var result = await cli.Shell("amnify pipelines list", new Dictionary<string, string> { ["AMNIFY_TOKEN"] = "amn_not-a-token" });

        result.ExitCode.Should().Be(4, result.ToString());
        result.Error.Should().Contain("401");
    }

    [Fact]
    public async Task Bad_usage_exits_4()
    {
        var result = await cli.Amnify("pipeline", "run");

        result.ExitCode.Should().Be(4, result.ToString());
    }

    [Fact]
    public async Task An_unknown_pipeline_exits_4()
    {
        var result = await cli.Amnify("pipeline", "run", Guid.NewGuid().ToString(), "--wait");

        result.ExitCode.Should().Be(4, result.ToString());
        result.Error.Should().Contain("404");
    }

    [Fact]
    public async Task A_server_that_is_gone_exits_5()
    {
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();

        var result = await cli.Shell("amnify pipelines list", new Dictionary<string, string> { ["AMNIFY_URL"] = $"http://127.0.0.1:{port}" });

        result.ExitCode.Should().Be(5, result.ToString());
    }

    [Fact]
    public async Task Lists_print_the_servers_items_as_JSON()
    {
        var pipeline = await cli.Pipeline();

        var result = await cli.Amnify("pipelines", "list", "--provider", "aws", "--output", "json");

        result.ExitCode.Should().Be(0, result.ToString());
        JsonDocument.Parse(result.Output).RootElement.EnumerateArray().Select(p => p.GetProperty("name").GetString()).Should().Contain(pipeline.Name);
    }
}

using System.Net.Http.Headers;
using Amnify.Api.Engine;
using System.Text.Json;

namespace Amnify.Api.Tests.Features.DeploymentRuns;

[CollectionDefinition(nameof(RunEventsCollection))]
public sealed class RunEventsCollection : ICollectionFixture<ApiFactory>;

/// <summary>The deployment-run stream: typed status, log, approvalRequired and end events, resumable by Last-Event-ID.</summary>
[Collection(nameof(RunEventsCollection))]
public sealed class RunEventsTests(ApiFactory api) : IAsyncLifetime
{
    private readonly HttpClient client = api.CreateClient();

    public Task InitializeAsync() => client.SyncExamples();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A run stopped while it waits for its plan approval: its stream is over and replays whole.</summary>
    private async Task<Guid> CancelledAtPlanApproval()
    {
        var deployment = await client.Deployment("aws", "network");
        var run = await client.Trigger(deployment.Id);
        await client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        await client.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");
        return run.Id;
    }

    [Fact]
    public async Task Log_events_say_whether_the_engine_or_terraform_wrote_the_line()
    {
        var id = await CancelledAtPlanApproval();

        var logs = (await client.ReadAll($"/api/v1/deployment-runs/{id}/events")).Where(e => e.Type == "log").ToList();

        logs.Should().Contain(e => e.Data.Text("line").StartsWith("$ terraform init") && e.Data.Text("source") == "engine");
        logs.Should().Contain(e => e.Data.Text("line").Contains("Terraform will perform the following actions") && e.Data.Text("source") == "terraform");
        logs.Should().OnlyContain(e => e.Data.Text("source") == "engine" || e.Data.Text("source") == "terraform");
    }

    [Fact]
    public async Task Status_events_carry_the_status_and_when_it_was_entered()
    {
        var id = await CancelledAtPlanApproval();

        var events = await client.ReadAll($"/api/v1/deployment-runs/{id}/events");

        var statuses = events.Where(e => e.Type == "status").ToList();
        statuses.Select(e => e.Data.Text("status")).Should().ContainInOrder("initializing", "planning", "awaitingPlanApproval", "cancelled");
        statuses.Should().OnlyContain(e => e.Id != null && DateTimeOffset.Parse(e.Data.Text("at")) > DateTimeOffset.UtcNow.AddHours(-1));
    }

    [Fact]
    public async Task Log_events_carry_one_line_each()
    {
        var id = await CancelledAtPlanApproval();

        var logs = (await client.ReadAll($"/api/v1/deployment-runs/{id}/events")).Where(e => e.Type == "log").ToList();

        logs.Should().NotBeEmpty();
        logs.Should().OnlyContain(e => e.Id != null && !e.Data.Text("line").Contains('\n'));
    }

    [Fact]
    public async Task Awaiting_an_approval_is_followed_by_approvalRequired_naming_the_gate_and_who_may_approve()
    {
        var id = await CancelledAtPlanApproval();

        var events = await client.ReadAll($"/api/v1/deployment-runs/{id}/events");

        var waiting = events.Single(e => e.Type == "status" && e.Data.Text("status") == "awaitingPlanApproval");
        var approval = events[events.IndexOf(waiting) + 1];
        approval.Type.Should().Be("approvalRequired");
        approval.Id.Should().Be($"{waiting.Id}.1");
        approval.Data.Text("gate").Should().Be("plan");
        approval.Data.Text("deploymentRunId").Should().Be(id.ToString());
        approval.Data.GetProperty("approvers").Text("role").Should().Be("approver");
        approval.Data.GetProperty("approvers").GetProperty("excludedUserIds").GetArrayLength().Should().Be(0, "four-eyes shuts nobody out of the plan gate");
    }

    /// <summary>With four-eyes, a run whose plan the caller approved, stopped at the apply gate.</summary>
    private async Task<Guid> CancelledAtApplyApprovalWithFourEyes()
    {
        var deployment = await client.Deployment("aws", "network");
        (await client.PatchJson($"/api/v1/deployments/{deployment.Id}", new { requireDistinctApprover = true })).EnsureSuccessStatusCode();
        var run = await client.Trigger(deployment.Id);
        await client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        await client.Approve(run.Id, "approve-plan");
        await client.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");
        return run.Id;
    }

    [Fact]
    public async Task With_four_eyes_the_apply_gate_names_the_triggerer_and_plan_approver_as_excluded()
    {
        var runId = await CancelledAtApplyApprovalWithFourEyes();
        var me = (await (await client.GetAsync("/api/v1/me")).Read<System.Text.Json.JsonElement>()).Text("id");

        var approval = (await client.ReadAll($"/api/v1/deployment-runs/{runId}/events"))
            .Single(e => e.Type == "approvalRequired" && e.Data.Text("gate") == "apply");

        approval.Data.GetProperty("approvers").GetProperty("excludedUserIds").EnumerateArray().Select(u => u.GetString()).Should().Equal(me);
    }

    [Fact]
    public async Task Webhooks_are_told_the_same_excluded_approvers_as_the_stream()
    {
        var runId = await CancelledAtApplyApprovalWithFourEyes();
        var streamed = (await client.ReadAll($"/api/v1/deployment-runs/{runId}/events"))
            .Single(e => e.Type == "approvalRequired" && e.Data.Text("gate") == "apply")
            .Data.GetProperty("approvers").GetProperty("excludedUserIds").EnumerateArray().Select(u => u.GetString()).ToList();

        await using var db = await api.OpenDatabase();
        var outbox = await Dapper.SqlMapper.QuerySingleAsync<string>(db,
            "SELECT data->'approvers'->>'excludedUserIds' FROM events WHERE type = 'approval.required' AND deployment_run_id = @Id AND data->>'gate' = 'apply'",
            new { Id = runId });

        streamed.Should().NotBeEmpty();
        JsonSerializer.Deserialize<List<string>>(outbox).Should().Equal(streamed, "a webhook and the stream name who may not approve from one definition");
    }

    [Fact]
    public async Task The_stream_ends_with_end_naming_the_final_status()
    {
        var id = await CancelledAtPlanApproval();

        var last = (await client.ReadAll($"/api/v1/deployment-runs/{id}/events")).Last();

        last.Type.Should().Be("end");
        last.Id.Should().BeNull("end is not an event to resume after");
        last.Data.Text("status").Should().Be("cancelled");
    }

    [Fact]
    public async Task Resuming_after_a_status_sends_its_approvalRequired_and_what_follows_only()
    {
        var id = await CancelledAtPlanApproval();
        var all = await client.ReadAll($"/api/v1/deployment-runs/{id}/events");
        var waiting = all.Single(e => e.Type == "status" && e.Data.Text("status") == "awaitingPlanApproval");

        var resumed = await client.ReadAll($"/api/v1/deployment-runs/{id}/events", waiting.Id);
        var afterApproval = await client.ReadAll($"/api/v1/deployment-runs/{id}/events", $"{waiting.Id}.1");

        resumed.Select(e => e.Id).Should().Equal(all.SkipWhile(e => e != waiting).Skip(1).Select(e => e.Id));
        resumed.First().Type.Should().Be("approvalRequired");
        afterApproval.Select(e => e.Id).Should().Equal(all.SkipWhile(e => e != waiting).Skip(2).Select(e => e.Id));
    }

    [Fact]
    public async Task The_stream_tells_proxies_not_to_buffer_it()
    {
        var id = await CancelledAtPlanApproval();

        using var response = await client.GetAsync($"/api/v1/deployment-runs/{id}/events");

        response.Headers.GetValues("X-Accel-Buffering").Should().Equal("no");
        response.Headers.CacheControl.Should().BeEquivalentTo(new CacheControlHeaderValue { NoCache = true });
    }

    [Fact]
    public async Task The_event_stream_replays_from_last_event_id_and_ends_with_the_run()
    {
        var deployment = await client.Deployment("gcp", "network");
        var run = await client.Trigger(deployment.Id);
        await client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        await client.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");

        var all = await client.GetStringAsync($"/api/v1/deployment-runs/{run.Id}/events");
        all.Should().Contain("event: status").And.Contain("\"status\":\"planning\"").And.Contain("event: log").And.EndWith("event: end\ndata: {\"status\":\"cancelled\"}\n\n");

        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/deployment-runs/{run.Id}/events");
        request.Headers.Add("Last-Event-ID", "3");
        var resumed = await (await client.SendAsync(request)).Content.ReadAsStringAsync();
        resumed.Should().NotContain("id: 3\n").And.Contain("id: 4\n");

        var log = await client.GetAsync($"/api/v1/deployment-runs/{run.Id}/log?offset=3");
        var offset = int.Parse(log.Headers.GetValues("X-Log-Offset").Single());
        offset.Should().BeGreaterThan(3);
        (await client.GetStringAsync($"/api/v1/deployment-runs/{run.Id}/log?offset={offset}")).Should().BeEmpty();
    }

    [Fact]
    public async Task Each_log_event_says_when_its_line_was_written()
    {
        var deployment = await client.Deployment("aws", "network");
        var run = await client.Trigger(deployment.Id);
        await client.WaitFor(run.Id, RunStatus.AwaitingPlanApproval);
        await client.PostEmpty($"/api/v1/deployment-runs/{run.Id}/cancel");

        await using var stream = await Sse.Open(client, $"/api/v1/deployment-runs/{run.Id}/events");
        (await stream.EndsWithin(TimeSpan.FromSeconds(10))).Should().BeTrue("the run is final");

        var logs = stream.Text.Split("\n\n").Where(e => e.Contains("event: log"))
            .Select(e => JsonDocument.Parse(e.Split('\n').Single(l => l.StartsWith("data: "))["data: ".Length..]).RootElement).ToList();
        logs.Should().NotBeEmpty();
        var times = logs.Select(l => l.GetProperty("at").GetDateTimeOffset()).ToList();
        times.Should().BeInAscendingOrder().And.OnlyContain(t => t >= run.QueuedAt.AddSeconds(-1) && t <= DateTimeOffset.UtcNow);
    }
}

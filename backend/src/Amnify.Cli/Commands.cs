using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.Json;
using System.Text.RegularExpressions;
using Amnify.Cli.Api;

namespace Amnify.Cli;

/// <summary>
/// The command tree (README "The amnify CLI"). Every command builds a <see cref="Session"/>, calls the generated client
/// and answers an exit code (<see cref="Exit"/>); a failure anywhere is turned into its code and one line on stderr.
/// </summary>
public sealed partial class Commands(TextWriter stdout, TextWriter stderr)
{
    private readonly Option<string?> url = new("--url") { Description = "The server, e.g. https://deploy.example.com (default: $AMNIFY_URL)", Recursive = true };
    private readonly Option<string?> token = new("--token") { Description = "An API or pipeline trigger token (default: $AMNIFY_TOKEN)", Recursive = true };
    private readonly Option<string> output = Choice("--output", "human output, or the server's JSON", "human", "json");
    private readonly Option<string?> provider = new("--provider") { Description = "aws, azure or gcp: tells apart things of the same name" };
    private readonly Option<bool> wait = new("--wait") { Description = "Follow the run until it is final; the exit code says how it ended" };
    private readonly Option<TimeSpan> timeout = new("--timeout")
    {
        Description = "How long --wait waits, e.g. 90s, 30m, 1h30m (default 30m)",
        DefaultValueFactory = _ => TimeSpan.FromMinutes(30),
        CustomParser = Duration,
    };
    private readonly Option<string> until = Choice("--until", "with --wait: stop at the end, or at the first gate that waits for approval (exit 3)", "end", "approval");

    public RootCommand Root()
    {
        var root = new RootCommand("amnify: trigger, follow, approve and cancel Amnify Deploy runs from scripts and CI jobs.");
        root.Options.Add(url);
        root.Options.Add(token);
        root.Options.Add(output);
        root.Subcommands.Add(PipelinesCommand());
        root.Subcommands.Add(PipelineCommand());
        root.Subcommands.Add(RunCommand());
        root.Subcommands.Add(DeploymentsCommand());
        return root;
    }

    public async Task<int> Run(string[] args)
    {
        var parsed = Root().Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) stderr.WriteLine($"amnify: {error.Message}");
            stderr.WriteLine("Try 'amnify --help'.");
            return Exit.Usage;
        }
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
    }

    private Command PipelinesCommand()
    {
        var list = new Command("list", "The pipelines, with their last run") { provider };
        Act(list, async (s, p, ct) =>
        {
            var items = await AllPages(s, cursor => s.Client.ListPipelinesAsync(p.GetValue(provider), null, 100, cursor, ct), page => page.Items, page => page.NextCursor);
            s.Result(Items(items.Json), () => items.Values.Select(i => $"{i.Id}  {i.Provider.ToString().ToLowerInvariant(),-5}  {i.Name}  ({i.StepCount} steps, last run {i.LastRunStatus ?? "none"})"));
            return Exit.Completed;
        });
        return new Command("pipelines", "List pipelines") { list };
    }

    private Command PipelineCommand()
    {
        var pipeline = new Argument<string>("pipeline") { Description = "The pipeline's id or name" };
        var key = new Option<string?>("--idempotency-key") { Description = "A retry with the same key answers the run the first call created (use the CI run id)" };
        var operation = Choice("--operation", "execute (each step in order) or destroy (each step's deployment, in reverse order)", "execute", "destroy");
        var run = new Command("run", "Trigger a run of a pipeline") { pipeline, provider, key, operation, wait, timeout, until };
        Act(run, async (s, p, ct) =>
        {
            var id = await ResolvePipeline(s, p.GetRequiredValue(pipeline), p.GetValue(provider), ct);
            var started = await s.Client.TriggerPipelineRunAsync(id, p.GetValue(key), new TriggerPipelineRunBody { Operation = p.GetValue(operation) }, ct);
            if (s.Client.LastResponse?.StatusCode == System.Net.HttpStatusCode.OK)
                s.Progress($"(idempotency key {p.GetValue(key)} was used before: following run #{started.Number} it created)");
            if (Wait(p) is { } waiting) return await Waiting.PipelineRun(s, started, waiting, ct);
            s.Result(s.Client.LastBody, () => [$"pipeline run #{started.Number} of {started.PipelineName}: {Words.Of(started.Status)}  {started.Id}"]);
            return Exit.Completed;
        });
        return new Command("pipeline", "Run a pipeline") { run };
    }

    private Command DeploymentsCommand()
    {
        var list = new Command("list", "The deployments, with their status") { provider };
        Act(list, async (s, p, ct) =>
        {
            var items = await AllPages(s, cursor => s.Client.ListDeploymentsAsync(p.GetValue(provider), null, null, null, 100, cursor, ct), page => page.Items, page => page.NextCursor);
            s.Result(Items(items.Json), () => items.Values.Select(d => $"{d.Id}  {d.Provider.ToString().ToLowerInvariant(),-5}  {d.Name}  ({Words.Of(d.Status)}, {d.TemplateName})"));
            return Exit.Completed;
        });
        var deployment = new Argument<string>("deployment") { Description = "The deployment's id or name" };
        var operation = Choice("--operation", "execute (plan and apply) or destroy", "execute", "destroy");
        var run = new Command("run", "Trigger a run of one deployment") { deployment, provider, operation, wait, timeout, until };
        Act(run, async (s, p, ct) =>
        {
            var id = await ResolveDeployment(s, p.GetRequiredValue(deployment), p.GetValue(provider), ct);
            var body = new TriggerDeploymentRunBody { Operation = p.GetValue(operation) == "destroy" ? RunOperation.Destroy : RunOperation.Execute };
            var started = await s.Client.TriggerDeploymentRunAsync(id, body, ct);
            if (Wait(p) is { } waiting) return await Waiting.DeploymentRun(s, started, waiting, ct);
            s.Result(s.Client.LastBody, () => [$"{Words.Of(started.Operation)} of {started.DeploymentName}: {Words.Of(started.Status)}  {started.Id}"]);
            return Exit.Completed;
        });
        return new Command("deployments", "List and run deployments") { list, run };
    }

    private Command RunCommand()
    {
        var command = new Command("run", "Show, follow, approve or cancel a pipeline run or a deployment run");

        var show = new Command("show", "The run's status, steps and gates");
        Act(show, WithRun(show, async (s, run, _, ct) =>
        {
            if (run.Pipeline is { } p) new PipelineProgress(s, await Waiting.ProviderOfPipeline(s, p.PipelineId, ct)).Report(p);
            else new DeploymentProgress(s, await Waiting.ProviderOfDeployment(s, run.Deployment!.DeploymentId, ct)).Report(run.Deployment);
            if (run.Deployment?.Error is { Length: > 0 } error) s.Progress($"  error: {error}");
            s.Result(run.Json, () => []);
            return Exit.Completed;
        }));

        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing until the run is final; the exit code says how it ended" };
        var logs = new Command("logs", "The Terraform log (of every step, for a pipeline run)") { follow };
        Act(logs, WithRun(logs, (s, run, p, ct) => Logs(s, run, p.GetValue(follow), ct)));

        var reason = new Option<string?>("--reason") { Description = "Why, for the run's record (deployment runs)" };
        var cancel = new Command("cancel", "Cancel the run (and a pipeline run's current step)") { reason };
        Act(cancel, WithRun(cancel, async (s, run, p, ct) =>
        {
            if (run.Pipeline is { } pipelineRun) await s.Client.CancelPipelineRunAsync(pipelineRun.Id, new CancelRunBody { Reason = p.GetValue(reason) }, ct);
            else await s.Client.CancelDeploymentRunAsync(run.Deployment!.Id, new CancelRunBody { Reason = p.GetValue(reason) }, ct);
            return Acted(s, "cancelled");
        }));

        command.Subcommands.Add(show);
        command.Subcommands.Add(logs);
        command.Subcommands.Add(Gate("approve-plan", "Approve the plan (a pipeline run: its step waiting for plan approval)", "plan approved",
            step => step.Actions.ApprovePlan, (s, id, comment, ct) => s.Client.ApprovePlanAsync(id, new ApprovalBody { Comment = comment }, ct)));
        command.Subcommands.Add(Gate("approve-apply", "Approve applying the approved plan (a pipeline run: its step waiting for it)", "apply approved",
            step => step.Actions.ApproveApply, (s, id, comment, ct) => s.Client.ApproveApplyAsync(id, new ApprovalBody { Comment = comment }, ct)));
        command.Subcommands.Add(Gate("reject", "Reject the plan or apply the run waits for, with --comment (a pipeline run stops there)", "rejected",
            step => step.Actions.ApprovePlan || step.Actions.ApproveApply,
            (s, id, comment, ct) => s.Client.RejectDeploymentRunAsync(id,
                new RejectionBody { Comment = comment ?? throw new UsageException("reject needs --comment: say why, for the run's record.") }, ct)));
        command.Subcommands.Add(cancel);

        var resumeKey = new Option<string?>("--idempotency-key") { Description = "A retry with the same key answers the run the first call created (use the CI run id)" };
        var resume = new Command("resume", "Start a failed or cancelled pipeline run again at its first unfinished step (same frozen steps)") { resumeKey, wait, timeout, until };
        Act(resume, WithRun(resume, async (s, found, p, ct) =>
        {
            var earlier = found.Pipeline ?? throw new UsageException("Only a pipeline run can be resumed; start a deployment run again with `amnify deployments run`.");
            var resumed = await s.Client.ResumePipelineRunAsync(earlier.Id, p.GetValue(resumeKey), ct);
            if (Wait(p) is { } waiting) return await Waiting.PipelineRun(s, resumed, waiting, ct);
            s.Result(s.Client.LastBody, () => [$"pipeline run #{resumed.Number} of {resumed.PipelineName} resumes #{earlier.Number}: {Words.Of(resumed.Status)}  {resumed.Id}"]);
            return Exit.Completed;
        }));
        command.Subcommands.Add(resume);
        return command;
    }

    /// <summary>An approval: on a deployment run directly, on a pipeline run through the step whose gate it is.</summary>
    private Command Gate(
        string name, string description, string done, Func<PipelineRunStep, bool> open, Func<Session, Guid, string?, CancellationToken, Task<DeploymentRun>> decide)
    {
        var comment = new Option<string?>("--comment") { Description = "Why, kept with the decision on the run and in the audit log" };
        var command = new Command(name, description) { comment };
        Act(command, WithRun(command, async (s, run, p, ct) =>
        {
            var target = run.Deployment?.Id
                ?? run.Pipeline!.Steps.FirstOrDefault(open)?.DeploymentRunId
                ?? throw new UsageException($"Pipeline run #{run.Pipeline.Number} has no step you may {name.Replace('-', ' ')} now (amnify run show {run.Pipeline.Id}).");
            await decide(s, target, p.GetValue(comment), ct);
            return Acted(s, done);
        }));
        return command;
    }

    private static int Acted(Session s, string what)
    {
        s.Result(s.Client.LastBody, () => [what]);
        return Exit.Completed;
    }

    private async Task<int> Logs(Session s, FoundRun run, bool follow, CancellationToken ct)
    {
        var offsets = new Dictionary<Guid, int>();
        while (true)
        {
            var runs = run.Pipeline is { } p
                ? p.Steps.OrderBy(x => x.Position).Where(x => x.DeploymentRunId is not null).Select(x => (Id: x.DeploymentRunId!.Value, Title: (string?)$"step {x.Position} {x.DeploymentName}"))
                : [(run.Deployment!.Id, (string?)null)];
            foreach (var (id, title) in runs)
            {
                while (true)
                {
                    var from = offsets.GetValueOrDefault(id);
                    var text = await s.Client.GetDeploymentRunLogAsync(id, from, ct);
                    var next = s.Client.LastResponse?.Headers.TryGetValues("X-Log-Offset", out var values) == true && int.TryParse(values.First(), out var n) ? n : from;
                    if (text.Length == 0 || next == from) break;
                    if (title is not null && !offsets.ContainsKey(id)) stdout.WriteLine($"== {title}");
                    offsets[id] = next;
                    stdout.Write(text);
                }
            }
            var final = run.Pipeline is { } pr ? Exit.Of(pr.Status) : Exit.Of(run.Deployment!.Status);
            if (!follow) return Exit.Completed;
            if (final is { } code) return code;
            await Task.Delay(Follow.PollEvery, ct);
            run = await Find(s, run.Id, ct);
        }
    }

    /// <summary>A command on one run: adds the runId argument and finds the run before <paramref name="body"/> acts on it.</summary>
    private static Func<Session, ParseResult, CancellationToken, Task<int>> WithRun(
        Command command, Func<Session, FoundRun, ParseResult, CancellationToken, Task<int>> body)
    {
        var runId = new Argument<Guid>("runId") { Description = "A pipeline run's or a deployment run's id" };
        command.Arguments.Add(runId);
        return async (s, p, ct) => await body(s, await Find(s, p.GetValue(runId), ct), p, ct);
    }

    /// <summary>A run id names a pipeline run or a deployment run; the server knows which.</summary>
    private static async Task<FoundRun> Find(Session s, Guid id, CancellationToken ct)
    {
        try { return new FoundRun(id, await s.Client.GetPipelineRunAsync(id, ct), null, s.Client.LastBody); }
        catch (ApiException e) when (e.StatusCode == 404) { }
        return new FoundRun(id, null, await s.Client.GetDeploymentRunAsync(id, ct), s.Client.LastBody);
    }

    private sealed record FoundRun(Guid Id, PipelineRun? Pipeline, DeploymentRun? Deployment, string? Json);

    private void Act(Command command, Func<Session, ParseResult, CancellationToken, Task<int>> body)
    {
        command.SetAction(async (p, ct) =>
        {
            Session? session = null;
            try
            {
                session = new Session(p.GetValue(url), p.GetValue(token), p.GetValue(output) == "json", stdout, stderr);
                return await body(session, p, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                var (code, message) = Exit.Of(e);
                stderr.WriteLine($"amnify: {message}");
                return code;
            }
            finally { session?.Dispose(); }
        });
    }

    private WaitFor? Wait(ParseResult p)
    {
        var untilApproval = p.GetValue(until) == "approval";
        return p.GetValue(wait) || untilApproval ? new WaitFor(p.GetValue(timeout), untilApproval) : null;
    }

    private static async Task<Guid> ResolvePipeline(Session s, string pipeline, string? provider, CancellationToken ct)
    {
        if (Guid.TryParse(pipeline, out var id)) return id;
        var found = await AllPages(s, cursor => s.Client.ListPipelinesAsync(provider, pipeline, 100, cursor, ct), page => page.Items, page => page.NextCursor);
        return Single(found.Values.Where(x => string.Equals(x.Name, pipeline, StringComparison.OrdinalIgnoreCase)).Select(x => x.Id).ToList(), "pipeline", pipeline);
    }

    private static async Task<Guid> ResolveDeployment(Session s, string deployment, string? provider, CancellationToken ct)
    {
        if (Guid.TryParse(deployment, out var id)) return id;
        var found = await AllPages(s, cursor => s.Client.ListDeploymentsAsync(provider, null, null, deployment, 100, cursor, ct), page => page.Items, page => page.NextCursor);
        return Single(found.Values.Where(x => string.Equals(x.Name, deployment, StringComparison.OrdinalIgnoreCase)).Select(x => x.Id).ToList(), "deployment", deployment);
    }

    private static Guid Single(List<Guid> ids, string kind, string name) => ids switch
    {
        [var one] => one,
        [] => throw new UsageException($"No {kind} is named \"{name}\" (amnify {kind}s list)."),
        _ => throw new UsageException($"{ids.Count} {kind}s are named \"{name}\": pass --provider, or the id."),
    };

    /// <summary>Every page of a list, with each page's items as the server wrote them (for --output json).</summary>
    private static async Task<(List<T> Values, List<JsonElement> Json)> AllPages<TPage, T>(
        Session s, Func<string?, Task<TPage>> read, Func<TPage, IEnumerable<T>> items, Func<TPage, string?> next)
    {
        var (values, json) = (new List<T>(), new List<JsonElement>());
        string? cursor = null;
        do
        {
            var page = await read(cursor);
            values.AddRange(items(page));
            using var body = JsonDocument.Parse(s.Client.LastBody ?? "{}");
            json.AddRange(body.RootElement.GetProperty("items").EnumerateArray().Select(e => e.Clone()));
            cursor = next(page);
        } while (cursor is not null);
        return (values, json);
    }

    private static string Items(List<JsonElement> items) => JsonSerializer.Serialize(items);

    private static Option<string> Choice(string name, string description, params string[] values)
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => values[0], Recursive = name == "--output" };
        option.AcceptOnlyFromAmong(values);
        return option;
    }

    private static TimeSpan Duration(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        var match = DurationPattern().Match(text);
        if (!match.Success || text.Length == 0)
        {
            result.AddError($"--timeout takes a duration such as 90s, 30m or 1h30m, not {text}.");
            return default;
        }
        int Part(string group) => match.Groups[group].Success ? int.Parse(match.Groups[group].Value) : 0;
        return new TimeSpan(Part("h"), Part("m"), Part("s"));
    }

    [GeneratedRegex("^(?:(?<h>[0-9]+)h)?(?:(?<m>[0-9]+)m)?(?:(?<s>[0-9]+)s)?$")]
    private static partial Regex DurationPattern();
}

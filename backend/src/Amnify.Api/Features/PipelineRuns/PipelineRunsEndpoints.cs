using Amnify.Api.Auth;
using Amnify.Api.Failures;
using Amnify.Api.Features.DeploymentRuns;
using Amnify.Api.Http;

namespace Amnify.Api.Features.PipelineRuns;

public static class PipelineRunsEndpoints
{
    public static RouteGroupBuilder MapPipelineRuns(this RouteGroupBuilder api)
    {
        var pipeline = api.MapGroup("/pipelines/{id:guid}/runs").WithTags("PipelineRuns");
        pipeline.MapPost("/", TriggerPipelineRunEndpoint.Handle).WithName("TriggerPipelineRun").RequireAuthorization(Policies.Operate).WithMetadata(new PipelineTokenAllowed())
            .WithSummary("Runs the pipeline (202 with the run); { \"operation\": \"destroy\" } destroys each step in reverse order. With an Idempotency-Key already used, answers that run (200).").Fails<TriggerPipelineRun>();
        pipeline.MapGet("/", ListPipelineRunsEndpoint.Handle).WithName("ListPipelineRuns").RequireAuthorization(Policies.Read).WithMetadata(new PipelineTokenAllowed())
            .WithSummary("The pipeline's runs, newest first.").Fails<ListPipelineRuns>();

        var runs = api.MapGroup("/pipeline-runs/{id:guid}").WithTags("PipelineRuns");
        runs.MapGet("/", GetPipelineRunEndpoint.Handle).WithName("GetPipelineRun").RequireAuthorization(Policies.Read).WithMetadata(new PipelineTokenAllowed())
            .WithSummary("A pipeline run with its steps as snapshotted, each step's status, timings and deployment run.").Fails<GetPipelineRun>();
        runs.MapPost("/cancel", CancelPipelineRunEndpoint.Handle).WithName("CancelPipelineRun").RequireAuthorization(Policies.Operate)
            .WithSummary("Cancels the run and its current step; later steps are not run.").Fails<CancelPipelineRun>();
        runs.MapPost("/resume", ResumePipelineRunEndpoint.Handle).WithName("ResumePipelineRun").RequireAuthorization(Policies.Operate)
            .WithSummary("Resumes a failed or cancelled run (202 with the new run): same frozen steps and inputs, from its first unfinished step.").Fails<ResumePipelineRun>();
        runs.MapGet("/events", PipelineRunEvents.Stream).WithName("StreamPipelineRunEvents").RequireAuthorization(Policies.Read).WithMetadata(new PipelineTokenAllowed())
            .WithSummary("Server-Sent Events: run, step and approvalRequired events, then end when the run is final; resumable with Last-Event-ID.")
            .StreamsEvents(("run", typeof(PipelineRunChangedEvent)), ("step", typeof(PipelineStepChangedEvent)),
                ("approvalRequired", typeof(ApprovalRequiredEvent)), ("end", typeof(StreamEndEvent)))
            .Fails(FailureKind.NotFound);
        return api;
    }
}

using Amnify.Api.Auth;
using Amnify.Api.Failures;
using Amnify.Api.Http;

namespace Amnify.Api.Features.DeploymentRuns;

public static class DeploymentRunsEndpoints
{
    public static RouteGroupBuilder MapDeploymentRuns(this RouteGroupBuilder api)
    {
        var deployment = api.MapGroup("/deployments/{id:guid}/runs").WithTags("DeploymentRuns");
        deployment.MapPost("/", TriggerDeploymentRunEndpoint.Handle).WithName("TriggerDeploymentRun").RequireAuthorization(Policies.Operate)
            .WithSummary("Queues an execute or destroy run of the deployment (202 with the run).").Fails<TriggerDeploymentRun>();
        deployment.MapGet("/", ListDeploymentRunsEndpoint.Handle).WithName("ListDeploymentRuns").RequireAuthorization(Policies.Read)
            .WithSummary("The deployment's runs, newest first.").Fails<ListDeploymentRuns>();

        var runs = api.MapGroup("/deployment-runs/{id:guid}").WithTags("DeploymentRuns");
        runs.MapGet("/", GetDeploymentRunEndpoint.Handle).WithName("GetDeploymentRun").RequireAuthorization(Policies.Read)
            .WithSummary("A run: status, timestamps, approvals, plan summary, outputs, error, and what the caller may do now.").Fails<GetDeploymentRun>();
        runs.MapPost("/approve-plan", ApprovePlanEndpoint.Handle).WithName("ApprovePlan").RequireAuthorization(Policies.Approve)
            .WithSummary("Approves the plan (first gate), optionally with a comment and the planSha256 reviewed (409 if another).").Fails<ApprovePlan>();
        runs.MapPost("/approve-apply", ApproveApplyEndpoint.Handle).WithName("ApproveApply").RequireAuthorization(Policies.Approve)
            .WithSummary("Approves applying exactly the approved plan (second gate), optionally with a comment and planSha256.").Fails<ApproveApply>();
        runs.MapPost("/reject", RejectDeploymentRunEndpoint.Handle).WithName("RejectDeploymentRun").RequireAuthorization(Policies.Approve)
            .WithSummary("Rejects the gate the run waits at, with a comment (required): the run ends rejected.").Fails<RejectDeploymentRun>();
        runs.MapPost("/cancel", CancelDeploymentRunEndpoint.Handle).WithName("CancelDeploymentRun").RequireAuthorization(Policies.Operate)
            .WithSummary("Cancels the run; allowed up to the approvals, not while applying or destroying.").Fails<CancelDeploymentRun>();
        runs.MapGet("/log", GetRunLogEndpoint.Handle).WithName("GetDeploymentRunLog").RequireAuthorization(Policies.Read)
            .WithSummary("The log as plain text after line offset N; X-Log-Offset says where to continue.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain").Fails<GetRunLog>();
        runs.MapGet("/log/lines", ListRunLogLinesEndpoint.Handle).WithName("ListDeploymentRunLogLines").RequireAuthorization(Policies.Read)
            .WithSummary("The log after line offset N as records: time and who wrote it (the engine or Terraform) per line.").Fails<ListRunLogLines>();
        runs.MapGet("/plan", GetRunPlanEndpoint.Handle).WithName("GetDeploymentRunPlan").RequireAuthorization(Policies.Read)
            .WithSummary("The readable plan, sensitive values masked.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain").Fails<GetRunPlan>();
        runs.MapGet("/plan.json", GetRunPlanJsonEndpoint.Handle).WithName("GetDeploymentRunPlanJson").RequireAuthorization(Policies.Read)
            .WithSummary("The structured plan: resource and output changes, attribute by attribute, sensitive values masked (404 before a plan).")
            .Produces<Terraform.StructuredPlan>().Fails<GetRunPlanJson>();
        runs.MapGet("/events", RunEvents.Stream).WithName("StreamDeploymentRunEvents").RequireAuthorization(Policies.Read)
            .WithSummary("Server-Sent Events: status, log and approvalRequired events, then end; resumable with Last-Event-ID.")
            .StreamsEvents(("status", typeof(RunStatusEvent)), ("log", typeof(RunLogEvent)), ("approvalRequired", typeof(ApprovalRequiredEvent)),
                ("end", typeof(StreamEndEvent)))
            .Fails(FailureKind.NotFound);
        return api;
    }
}

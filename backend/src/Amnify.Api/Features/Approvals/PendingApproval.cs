using System.Text.Json.Serialization;
using Amnify.Api.Auth;
using Amnify.Api.Engine;
using Amnify.Api.Features.DeploymentRuns;
using Amnify.Api.Terraform;

namespace Amnify.Api.Features.Approvals;

/// <summary>A gate the caller may decide now: the run, where it belongs, its plan, since when it waits, and how far it is.</summary>
public sealed record PendingApproval
{
    public required Guid RunId { get; init; }
    public required Guid DeploymentId { get; init; }
    public required string DeploymentName { get; init; }
    public required RunOperation Operation { get; init; }
    public required ApprovalGate Gate { get; init; }
    public Guid? PipelineRunId { get; init; }
    public Guid? PipelineId { get; init; }
    public string? PipelineName { get; init; }
    public int? PipelineRunNumber { get; init; }
    public int? StepPosition { get; init; }
    public PlanSummary? Plan { get; init; }
    /// <summary>The SHA-256 of the plan awaiting approval, to send back with the decision.</summary>
    public required string PlanSha256 { get; init; }
    public required string TriggeredBy { get; init; }
    /// <summary>When the gate opened: the plan gate when the plan was made, the apply gate when the plan was approved.</summary>
    public required DateTimeOffset WaitingSince { get; init; }
    /// <summary>How far the gate is, e.g. "1 of 2 approvals".</summary>
    public required ApprovalProgress Progress { get; init; }

    [JsonIgnore] public ApprovalFacts? Facts { get; init; }
}

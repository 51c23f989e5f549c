using Amnify.Api.Auth;
using Amnify.Api.Http;

namespace Amnify.Api.Features.Pipelines;

public static class PipelinesEndpoints
{
    public static RouteGroupBuilder MapPipelines(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/pipelines").WithTags("Pipelines");
        group.MapGet("/", ListPipelinesEndpoint.Handle).WithName("ListPipelines").RequireAuthorization(Policies.Read)
            .WithSummary("Pipelines with their step count and last run status.").Fails<ListPipelines>();
        group.MapPost("/", CreatePipelineEndpoint.Handle).WithName("CreatePipeline").RequireAuthorization(Policies.Operate)
            .WithSummary("Creates an empty pipeline.").Fails<CreatePipeline>();
        group.MapGet("/{id:guid}", GetPipelineEndpoint.Handle).WithName("GetPipeline").RequireAuthorization(Policies.Read).WithMetadata(new PipelineTokenAllowed())
            .WithSummary("A pipeline with its ordered steps; the ETag goes back in If-Match.").Fails<GetPipeline>();
        group.MapPatch("/{id:guid}", UpdatePipelineEndpoint.Handle).WithName("UpdatePipeline").RequireAuthorization(Policies.Operate)
            .WithSummary("Renames a pipeline or changes its description (If-Match honoured).").Fails<UpdatePipeline>();
        group.MapDelete("/{id:guid}", DeletePipelineEndpoint.Handle).WithName("DeletePipeline").RequireAuthorization(Policies.Operate)
            .WithSummary("Deletes a pipeline (not its deployments); refused while a run is active.").Fails<DeletePipeline>();
        group.MapPost("/{id:guid}/steps", AddPipelineStepEndpoint.Handle).WithName("AddPipelineStep").RequireAuthorization(Policies.Operate)
            .WithSummary("Appends a deployment as the last step.").Fails<AddPipelineStep>();
        group.MapDelete("/{id:guid}/steps/{stepId:guid}", RemovePipelineStepEndpoint.Handle).WithName("RemovePipelineStep").RequireAuthorization(Policies.Operate)
            .WithSummary("Removes a step; the deployment itself is untouched. 409 when it feeds a later step, unless force=true (which removes that wiring).").Fails<RemovePipelineStep>();
        group.MapPut("/{id:guid}/steps/{stepId:guid}/inputs", SetPipelineStepInputsEndpoint.Handle).WithName("SetPipelineStepInputs").RequireAuthorization(Policies.Operate)
            .WithSummary("Sets which variables of the step take earlier steps' outputs at run time (If-Match honoured).").Fails<SetPipelineStepInputs>();
        group.MapPut("/{id:guid}/steps/order", ReorderPipelineStepsEndpoint.Handle).WithName("ReorderPipelineSteps").RequireAuthorization(Policies.Operate)
            .WithSummary("Sets the execution order: every step id once. 412 when If-Match is stale; 409 when a step would run before a step it takes a value from.").Fails<ReorderPipelineSteps>();
        return api;
    }
}

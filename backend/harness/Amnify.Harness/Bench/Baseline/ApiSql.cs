using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Amnify.Harness.Bench.Baseline;

/// <summary>
/// The SQL the baseline app runs, read out of the API binary under test: the product keeps each statement as a
/// <c>const</c> string beside its handler, and a constant is in the assembly's metadata, so the baseline runs
/// byte for byte what that build runs — there is no copy to keep in step. A renamed or moved constant stops the
/// baseline at start-up with the name it looked for.
/// </summary>
public sealed class ApiSql(string apiDll)
{
    // Where each statement lives in backend/src/Amnify.Api (type, constant).
    public string TokenLookup => Read("Amnify.Api.Auth.AmnifyAuthentication", "TokenLookup");
    public string TouchToken => Read("Amnify.Api.Auth.AmnifyAuthentication", "TouchToken");
    public string SelectPipeline => Read("Amnify.Api.Features.Pipelines.Pipeline", "SelectPipeline");
    public string SelectPipelineSteps => Read("Amnify.Api.Features.Pipelines.Pipeline", "SelectSteps");
    public string SelectPipelineInputs => Read("Amnify.Api.Features.Pipelines.Pipeline", "SelectInputs");
    public string ListPipelines => Read("Amnify.Api.Features.Pipelines.ListPipelinesHandler", "Select");
    /// <summary>PipelineRun.Select with the WHERE that PipelineRun.Load(id) appends to it.</summary>
    public string SelectPipelineRun => Read("Amnify.Api.Features.PipelineRuns.PipelineRun", "Select") + " WHERE r.id = @Id";
    public string SelectPipelineRunSteps => Read("Amnify.Api.Features.PipelineRuns.PipelineRun", "SelectSteps");
    public string SelectPipelineRunApprovals => Read("Amnify.Api.Features.DeploymentRuns.RunApproval", "OfPipelineRunSteps");

    private readonly Dictionary<(string, string), string> read = [];

    public string Read(string type, string constant)
    {
        lock (read)
        {
            if (read.TryGetValue((type, constant), out var known)) return known;
            using var stream = File.OpenRead(apiDll);
            using var pe = new PEReader(stream);
            var metadata = pe.GetMetadataReader();
            foreach (var handle in metadata.TypeDefinitions)
            {
                var definition = metadata.GetTypeDefinition(handle);
                if ($"{metadata.GetString(definition.Namespace)}.{metadata.GetString(definition.Name)}" != type) continue;
                foreach (var fieldHandle in definition.GetFields())
                {
                    var field = metadata.GetFieldDefinition(fieldHandle);
                    if (metadata.GetString(field.Name) != constant || field.GetDefaultValue() is { IsNil: true }) continue;
                    var value = metadata.GetConstant(field.GetDefaultValue());
                    if (value.TypeCode != ConstantTypeCode.String) continue;
                    var blob = metadata.GetBlobReader(value.Value);
                    return read[(type, constant)] = blob.ReadUTF16(blob.Length);
                }
            }
            throw new InvalidOperationException(
                $"{apiDll} has no string constant {type}.{constant}: it moved or was renamed; update Bench/Baseline/ApiSql.cs.");
        }
    }

    /// <summary>Reads every statement once, so a missing one stops the baseline before it serves.</summary>
    public void CheckAll() =>
        _ = new[]
        {
            TokenLookup, TouchToken, SelectPipeline, SelectPipelineSteps, SelectPipelineInputs, ListPipelines, SelectPipelineRun,
            SelectPipelineRunSteps, SelectPipelineRunApprovals,
        };
}

using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json;
using Amnify.Api.Auth;
using Amnify.Api.Failures;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Amnify.Api.Http;

/// <summary>
/// What a client generator needs beyond what the endpoints say themselves (linted with Redocly's recommended rules,
/// `npm run lint:api`): the two ways to authenticate and which operations take them, the servers, the licence, what
/// each tag holds, the headers handlers read (If-Match, Idempotency-Key), every 4xx an operation can really answer,
/// nullable references marked nullable, and string fields with a closed set of values (<see cref="AllowedValuesAttribute"/>)
/// as enums.
/// </summary>
internal sealed class ContractDocument : IDocumentFilter, IOperationFilter, ISchemaFilter
{
    public const string Bearer = "bearer";
    public const string Cookie = "cookie";

    private static readonly Dictionary<string, string> Tags = new()
    {
        ["Access"] = "Sign-in, the caller, users, API tokens and the audit log.",
        ["CloudEnvironments"] = "Cloud accounts a deployment runs in, with their sealed credentials.",
        ["DeploymentRuns"] = "Plan, approve and apply runs of one deployment: status, plan, log and live events.",
        ["Deployments"] = "A template with its variables in a cloud environment.",
        ["Health"] = "Liveness and readiness probes (open).",
        ["PipelineRuns"] = "Runs of a pipeline, step by step: trigger (idempotent), cancel, live events.",
        ["Pipelines"] = "Ordered steps of deployments; edits carry If-Match.",
        ["Projects"] = "Groups of deployments and pipelines.",
        ["Providers"] = "The cloud providers templates are written for.",
        ["Templates"] = "The Terraform template catalogue and its sync from the configured source.",
    };

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        document.Info.License = new OpenApiLicense { Name = "Proprietary", Identifier = "LicenseRef-Proprietary" };
        // Paths start with /api/v1: the server is an installation's own origin, one per installation.
        document.Servers =
        [
            new OpenApiServer
            {
                Url = "{scheme}://{host}",
                Description = "Your Amnify Deploy installation",
                Variables = new Dictionary<string, OpenApiServerVariable>
                {
                    ["scheme"] = new() { Default = "https", Enum = ["https", "http"] },
                    ["host"] = new() { Default = "localhost:5080", Description = "host and port (`make run` serves localhost:5080)" },
                },
            },
        ];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [Bearer] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "amn_…",
                Description = "A personal API token (the owner's role) or a pipeline trigger token (triggers and reads one pipeline's runs).",
            },
            [Cookie] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Cookie,
                Name = AmnifyAuthentication.SessionCookie,
                Description = $"The SPA's session from /api/v1/auth/login; a change made with it must also send the {AuthSetup.ClientHeader} header.",
            },
        };
        NullableReferencesTyped(document);
        document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Key, Description = t.Value }));
    }

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        var open = metadata.OfType<IAllowAnonymous>().Any();
        operation.Security = open
            ? []
            : [Requirement(Bearer, context.Document), Requirement(Cookie, context.Document)];

        var declared = metadata.OfType<DeclaredFailures>().FirstOrDefault();
        if (declared?.Kinds.Contains(FailureKind.Stale) == true)
            AddHeader(operation, "If-Match", "The ETag last read; a change to an older version answers 412. Absent or `*`: no precondition.");
        if (declared?.Messages.Any(m => m.GetProperty("IdempotencyKey") is not null) == true)
            AddHeader(operation, "Idempotency-Key", "1 to 200 visible ASCII characters: a retry with the same key answers the run it created (200).");

        operation.Responses ??= new OpenApiResponses();
        if (!open && !operation.Responses.ContainsKey("401"))
            operation.Responses["401"] = Problem("Unauthorized: no valid token or session.", "ProblemDetails", context.Document);
        // Every route refuses a NUL character in its query, route values or headers (NulGuard), so each has a 400.
        if (!operation.Responses.Keys.Any(k => k.StartsWith('4')))
            operation.Responses["400"] = Problem("Bad Request: a value holds the NUL character.", "HttpValidationProblemDetails", context.Document);
    }

    /// <summary>
    /// A property that refers to another schema cannot carry <c>nullable</c> beside its <c>$ref</c> in OpenAPI 3.0:
    /// a nullable one becomes <c>allOf: [$ref]</c> with <c>nullable: true</c>, so generated types admit null.
    /// </summary>
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema { Properties.Count: > 0 } target || context.Type is not { IsClass: true } type) return;
        var nullability = new NullabilityInfoContext();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            if (!target.Properties.TryGetValue(name, out var current)) continue;
            if (current is OpenApiSchema inline && property.GetCustomAttribute<AllowedValuesAttribute>() is { } allowed)
                inline.Enum = [.. allowed.Values.OfType<string>().Select(v => (JsonNode)JsonValue.Create(v))];
            if (current is OpenApiSchemaReference reference && nullability.Create(property).ReadState == NullabilityState.Nullable)
                target.Properties[name] = new OpenApiSchema { AllOf = [reference], Type = JsonSchemaType.Null };
        }
    }

    /// <summary>Redocly (and 3.0) want a <c>type</c> beside <c>nullable</c>: the one of the schema referred to.</summary>
    private static void NullableReferencesTyped(OpenApiDocument document)
    {
        var schemas = document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>();
        foreach (var property in schemas.Values.SelectMany(s => s.Properties?.Values ?? []).OfType<OpenApiSchema>())
            if (property is { Type: JsonSchemaType.Null, AllOf: [OpenApiSchemaReference reference] }
                && schemas.TryGetValue(reference.Reference.Id!, out var target) && target.Type is { } type)
                property.Type = type | JsonSchemaType.Null;
    }

    private static OpenApiSecurityRequirement Requirement(string scheme, OpenApiDocument document) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };

    private static void AddHeader(OpenApiOperation operation, string name, string description)
    {
        operation.Parameters ??= [];
        if (operation.Parameters.Any(p => p.Name == name)) return;
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = name,
            In = ParameterLocation.Header,
            Required = false,
            Description = description,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });
    }

    private static OpenApiResponse Problem(string description, string schema, OpenApiDocument document) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(schema, document) },
        },
    };
}

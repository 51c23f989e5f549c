using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Amnify.Api.Http;

/// <summary>
/// Actions (`cancel`, `approve-*`, run triggers…) are called by scripts as a bare `POST`, with `{}`, or with the optional
/// JSON body some of them read. An endpoint that reads a body is matched on its JSON content type by the framework (a
/// body of another type answers 415 there); an endpoint that reads none would silently ignore any body, so one that is
/// not JSON is refused the same way here instead of being taken for what the caller meant.
/// </summary>
public static class ActionBodies
{
    public const string Expected = "application/json";

    public static TBuilder RefuseForeignBodies<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter((invocation, next) => IsForeign(invocation.HttpContext)
            ? ValueTask.FromResult<object?>(Refuse(invocation.HttpContext))
            : next(invocation));

    private static bool IsForeign(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>() is null
        && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true
        && context.Request.ContentLength != 0
        && !context.Request.HasJsonContentType();

    private static IResult Refuse(HttpContext context) => TypedResults.Problem(
        statusCode: StatusCodes.Status415UnsupportedMediaType,
        title: "Unsupported Media Type",
        detail: $"{context.Request.Method} {context.Request.Path} takes no body or an {Expected} one, not {context.Request.ContentType ?? "a body without a Content-Type"}.",
        type: "https://httpstatuses.io/415");
}

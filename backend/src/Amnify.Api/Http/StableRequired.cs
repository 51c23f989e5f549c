using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Amnify.Api.Http;

/// <summary>
/// The served document must be the same on every start (openapi.yaml is compared to it byte for byte and
/// reviewed as a diff), but schema generation fills each schema's <c>required</c> set in no fixed order:
/// list those names in the order the properties are declared.
/// </summary>
internal sealed class StableRequired : IDocumentFilter
{
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        foreach (var schema in document.Components?.Schemas?.Values.OfType<OpenApiSchema>() ?? [])
        {
            if (schema.Required is not { Count: > 0 } required || schema.Properties is null) continue;
            schema.Required = new SortedSet<string>(required, new DeclaredOrder([.. schema.Properties.Keys]));
        }
    }

    /// <summary>A set that enumerates in declaration order, so the YAML writer emits that order.</summary>
    private sealed class DeclaredOrder(List<string> declared) : IComparer<string>
    {
        public int Compare(string? x, string? y)
        {
            var byDeclaration = Rank(x).CompareTo(Rank(y));
            return byDeclaration != 0 ? byDeclaration : string.CompareOrdinal(x, y);
        }

        private int Rank(string? name) => declared.IndexOf(name ?? "") is var i and >= 0 ? i : int.MaxValue;
    }
}

namespace Amnify.Api.Http;

/// <summary>Schema names as the TypeScript client sees them: <c>Page&lt;Project&gt;</c> becomes <c>ProjectPage</c>.</summary>
internal static class SchemaIds
{
    public static string For(Type type) =>
        type.IsGenericType
            ? string.Concat(type.GetGenericArguments().Select(For)) + type.Name[..type.Name.IndexOf('`')]
            : type.Name;
}

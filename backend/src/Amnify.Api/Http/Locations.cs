namespace Amnify.Api.Http;

/// <summary>
/// The Location of a 201 or 202, from the route table by route name (what CreatedAtRoute does), kept a path as
/// the API has always answered it rather than CreatedAtRoute's absolute URI.
/// </summary>
public static class Locations
{
    public static string PathTo(this HttpContext context, string routeName, Guid id) =>
        context.RequestServices.GetRequiredService<LinkGenerator>().GetPathByName(context, routeName, new { id })
        ?? throw new InvalidOperationException($"No route named '{routeName}' takes an id.");
}

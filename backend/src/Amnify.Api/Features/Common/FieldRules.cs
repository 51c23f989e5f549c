using FluentValidation;

namespace Amnify.Api.Features.Common;

/// <summary>Field rules that every resource with a name, description or tags shares.</summary>
internal static class FieldRules
{
    public const int MaxName = 200;
    public const int MaxDescription = 2000;
    public const int MaxTags = 20;
    public const int MaxTag = 50;

    /// <summary>Required text of at most <paramref name="max"/> characters once trimmed.</summary>
    public static IRuleBuilderOptions<T, string?> RequiredText<T>(this IRuleBuilder<T, string?> rule, string label, int max = MaxName) =>
        rule.Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage($"{label} is required.")
            .Must(n => n is null || n.Trim().Length <= max).WithMessage($"{label} must be at most {max} characters.");

    /// <summary>Like <see cref="RequiredText{T}"/>, for a PATCH where leaving the field out keeps it.</summary>
    public static IRuleBuilderOptions<T, string?> OptionalText<T>(this IRuleBuilder<T, string?> rule, string label, int max = MaxName) =>
        rule.Must(n => n is null || !string.IsNullOrWhiteSpace(n)).WithMessage($"{label} cannot be empty.")
            .Must(n => n is null || n.Trim().Length <= max).WithMessage($"{label} must be at most {max} characters.");

    public static IRuleBuilderOptions<T, string?> Description<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(MaxDescription).WithMessage($"Description must be at most {MaxDescription} characters.");

    public static void Tags<T>(this IRuleBuilderInitial<T, string[]?> rule) =>
        rule.Must(t => t is null || t.Length <= MaxTags).WithMessage($"At most {MaxTags} tags.")
            .ForEach(tag => tag.Must(t => !string.IsNullOrWhiteSpace(t) && t.Trim().Length <= MaxTag)
                .WithMessage($"Each tag must be 1 to {MaxTag} characters."));

    public static string[]? CleanTags(string[]? tags) =>
        tags?.Select(t => t.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

    /// <summary>
    /// A "contains" pattern for LIKE, with the user's wildcards taken literally. Queries compare
    /// <c>lower(name) LIKE lower(@Pattern)</c>: PostgreSQL folds both sides, so they fold alike.
    /// </summary>
    public static string? ContainsPattern(string? q) =>
        string.IsNullOrWhiteSpace(q)
            ? null
            : "%" + q.Trim().Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%";
}

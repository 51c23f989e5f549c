using Amnify.Api.Failures;
using Mediator;

namespace Amnify.Api.Behaviors;

/// <summary>
/// Holds handlers to their message's <see cref="CanFailAttribute"/>, which is what the endpoint declares in
/// OpenAPI: an answer of an undeclared kind throws outside production (so a test that reaches it fails) and is
/// logged in production, where the client still gets the failure it caused.
/// </summary>
public sealed class DeclaredFailureBehavior<TMessage, TResponse>(IHostEnvironment environment, ILogger<TMessage> log)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    private static readonly IReadOnlyList<FailureKind> Declared = CanFailAttribute.Of(typeof(TMessage));

    public async ValueTask<TResponse> Handle(
        TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var response = await next(message, cancellationToken);
        if (response is IFailable { Failure: { } failure } && !Declared.Contains(failure.Kind))
        {
            if (!environment.IsProduction())
                throw new InvalidOperationException(
                    $"{typeof(TMessage).Name} answered {failure.Kind}, which its [CanFail] does not declare.");
            log.LogError("{Message} answered {Kind}, which its [CanFail] does not declare", typeof(TMessage).Name, failure.Kind);
        }
        return response;
    }
}

using FluentValidation;

namespace Amnify.Api.Behaviors;

public static class MediatorSetup
{
    public static WebApplicationBuilder AddMediatorPipeline(this WebApplicationBuilder builder)
    {
        builder.Services.AddMediator((Mediator.MediatorOptions options) =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.PipelineBehaviors = [typeof(ValidationBehavior<,>), typeof(DeclaredFailureBehavior<,>)];
        });
        builder.Services.AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Singleton);
        return builder;
    }
}

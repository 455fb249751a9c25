using MassTransit;
using SagaDemo.Contracts;
using SagaDemo.Sagas.UserRegistration;

namespace SagaDemo.Hosting.Endpoints;

/// <summary>Receive endpoint of the user saga; its name is the Kafka consumer group of the original demo.</summary>
public sealed class UserRegistrationSagaDefinition : SagaDefinition<UserRegistrationState>
{
    public UserRegistrationSagaDefinition() => EndpointName = ConsumerGroups.Users;

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator,
        ISagaConfigurator<UserRegistrationState> sagaConfigurator, IRegistrationContext context)
    {
        EndpointDeliveryPolicy.ForSaga(endpointConfigurator, context);
    }
}

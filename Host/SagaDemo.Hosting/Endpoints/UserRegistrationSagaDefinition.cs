using SagaDemo.Contracts;
using SagaDemo.Sagas.UserRegistration;

namespace SagaDemo.Hosting.Endpoints;

/// <summary>Receive endpoint of the user saga; its name is the Kafka consumer group of the original demo.</summary>
public sealed class UserRegistrationSagaDefinition() : SagaEndpointDefinition<UserRegistrationState>(ConsumerGroups.Users);

using SagaDemo.Services.Hosting;
using SagaDemo.Services.Http;

namespace SagaDemo.Services.Operations;

/// <summary>Field rules of the two operation requests; the limits are in <see cref="RequestLimits"/>.</summary>
public static class OperationRequestValidation
{
    public static Dictionary<string, string[]> Validate(UserCreateRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        RequireText(errors, "name", request.Name, RequestLimits.MaxNameLength);
        if (request.Email is not null)
        {
            if (request.Email.Length > RequestLimits.MaxEmailLength)
                errors["email"] = [$"email must be at most {RequestLimits.MaxEmailLength} characters."];
            else if (!EmailAddress.IsValid(request.Email))
                errors["email"] = ["email must be an address like name@example.com."];
        }
        return errors;
    }

    public static Dictionary<string, string[]> Validate(OrderCreateRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        RequireText(errors, "customerId", request.CustomerId, RequestLimits.MaxCustomerIdLength);
        if (request.Items is null || request.Items.Count == 0)
        {
            errors["items"] = ["items must list at least one item."];
            return errors;
        }
        if (request.Items.Count > RequestLimits.MaxItems)
        {
            errors["items"] = [$"items must list at most {RequestLimits.MaxItems} items."];
            return errors;
        }
        for (var i = 0; i < request.Items.Count; i++)
        {
            var item = request.Items[i];
            if (item is null)
            {
                errors[$"items[{i}]"] = ["each item must be an object with sku and quantity."];
                continue;
            }
            RequireText(errors, $"items[{i}].sku", item.Sku, RequestLimits.MaxSkuLength);
            if (item.Quantity is not { } quantity)
                errors[$"items[{i}].quantity"] = ["quantity is required."];
            else if (quantity is < 1 or > RequestLimits.MaxQuantity)
                errors[$"items[{i}].quantity"] = [$"quantity must be between 1 and {RequestLimits.MaxQuantity}."];
        }
        return errors;
    }

    static void RequireText(Dictionary<string, string[]> errors, string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
            errors[field] = [$"{field} is required."];
        else if (value.Length > maxLength)
            errors[field] = [$"{field} must be at most {maxLength} characters."];
        else if (value.Any(char.IsControl))
            errors[field] = [$"{field} must not contain control characters."];
    }
}

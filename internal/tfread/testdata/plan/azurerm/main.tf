# A spoke with a private Key Vault, in an existing resource group the plan
# reads (data source). plan.json is written by hand in the format of
# `terraform show -json` (format_version 1.2, Terraform 1.11): the azurerm
# provider cannot be downloaded here to make a real plan.
data "azurerm_resource_group" "net" {
  name = "rg-net"
}

resource "azurerm_virtual_network" "v" {
  name                = "vnet-spoke"
  location            = data.azurerm_resource_group.net.location
  resource_group_name = data.azurerm_resource_group.net.name
  address_space       = ["10.1.0.0/16"]
}

resource "azurerm_subnet" "pe" {
  name                 = "snet-pe"
  resource_group_name  = data.azurerm_resource_group.net.name
  virtual_network_name = azurerm_virtual_network.v.name
  address_prefixes     = ["10.1.1.0/24"]
}

resource "azurerm_key_vault" "kv" {
  name                          = "kv-plan"
  location                      = data.azurerm_resource_group.net.location
  resource_group_name           = data.azurerm_resource_group.net.name
  tenant_id                     = "00000000-0000-0000-0000-000000000000"
  sku_name                      = "standard"
  rbac_authorization_enabled    = true
  public_network_access_enabled = false
}

resource "azurerm_private_dns_zone" "kv" {
  name                = "privatelink.vaultcore.azure.net"
  resource_group_name = data.azurerm_resource_group.net.name
}

resource "azurerm_private_dns_zone_virtual_network_link" "kv" {
  name                = "link-spoke"
  private_dns_zone_id = azurerm_private_dns_zone.kv.id
  virtual_network_id  = azurerm_virtual_network.v.id
}

resource "azurerm_private_endpoint" "kv" {
  name                = "pe-kv"
  location            = data.azurerm_resource_group.net.location
  resource_group_name = data.azurerm_resource_group.net.name
  subnet_id           = azurerm_subnet.pe.id
  private_service_connection {
    name                           = "kv"
    private_connection_resource_id = azurerm_key_vault.kv.id
    subresource_names              = ["vault"]
    is_manual_connection           = false
  }
  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [azurerm_private_dns_zone.kv.id]
  }
}

resource "azurerm_user_assigned_identity" "wl" {
  name                = "id-wl"
  location            = data.azurerm_resource_group.net.location
  resource_group_name = data.azurerm_resource_group.net.name
}

resource "azurerm_role_assignment" "wl" {
  scope                = azurerm_key_vault.kv.id
  role_definition_name = "Key Vault Secrets User"
  principal_id         = azurerm_user_assigned_identity.wl.principal_id
}

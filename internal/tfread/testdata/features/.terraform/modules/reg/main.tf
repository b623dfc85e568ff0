variable "rg" {}

resource "azurerm_private_dns_zone" "z" {
  name                = "privatelink.vaultcore.azure.net"
  resource_group_name = var.rg
}

variable "name" {}
variable "rg" {}
variable "location" {}
variable "address_space" {
  type = list(string)
}
variable "subnets" {
  type = map(number)
}

resource "azurerm_virtual_network" "this" {
  name                = var.name
  location            = var.location
  resource_group_name = var.rg
  address_space       = var.address_space
}

resource "azurerm_subnet" "this" {
  for_each             = var.subnets
  name                 = "snet-${each.key}"
  resource_group_name  = var.rg
  virtual_network_name = azurerm_virtual_network.this.name
  address_prefixes     = [cidrsubnet(var.address_space[0], 4, each.value)]
}

output "id" {
  value = azurerm_virtual_network.this.id
}
output "name" {
  value = azurerm_virtual_network.this.name
}
output "subnet_ids" {
  value = { for k, s in azurerm_subnet.this : k => s.id }
}
output "subnet_names" {
  value = [for s in azurerm_subnet.this : s.name]
}

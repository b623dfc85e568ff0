terraform {
  required_providers {
    azurerm = { source = "hashicorp/azurerm" }
  }
}

provider "azurerm" {
  features {}
  subscription_id = "11111111-1111-1111-1111-111111111111"
}

data "azurerm_client_config" "current" {}

data "azurerm_subnet" "external" {
  name                 = "snet-external"
  virtual_network_name = "vnet-external"
  resource_group_name  = "rg-external"
}

locals {
  prefix  = "${var.env}-${var.region_short}"
  spokes  = { for s in var.spokes : s.name => s }
  kv_name = lower("kv-${local.prefix}")
}

resource "azurerm_resource_group" "rg" {
  name     = "rg-${local.prefix}"
  location = var.location
}

module "hub" {
  source        = "./modules/net"
  name          = "vnet-hub"
  rg            = azurerm_resource_group.rg.name
  location      = azurerm_resource_group.rg.location
  address_space = var.hub_space
  subnets       = { dns = 0, pe = 1 }
}

module "spoke" {
  source        = "./modules/net"
  for_each      = local.spokes
  name          = "vnet-${each.key}"
  rg            = azurerm_resource_group.rg.name
  location      = azurerm_resource_group.rg.location
  address_space = each.value.space
  subnets       = { nodes = 0 }
}

module "from_registry" {
  source  = "Azure/avm-res-network-virtualnetwork/azurerm"
  version = "0.7.0"
}

module "initialised" {
  source  = "example/thing/azurerm"
  version = "1.0.0"
  rg      = azurerm_resource_group.rg.name
}

resource "azurerm_virtual_network_peering" "hub_to_spoke" {
  for_each                  = module.spoke
  name                      = "peer-hub-to-${each.key}"
  resource_group_name       = azurerm_resource_group.rg.name
  virtual_network_name      = module.hub.name
  remote_virtual_network_id = each.value.id
  allow_forwarded_traffic   = true
}

resource "azurerm_virtual_network_peering" "spoke_to_hub" {
  for_each                  = module.spoke
  name                      = "peer-${each.key}-to-hub"
  resource_group_name       = azurerm_resource_group.rg.name
  virtual_network_name      = each.value.name
  remote_virtual_network_id = module.hub.id
}

resource "azurerm_network_security_group" "nsg" {
  name                = "nsg-pe"
  location            = var.location
  resource_group_name = azurerm_resource_group.rg.name

  dynamic "security_rule" {
    for_each = var.rules
    iterator = rule
    content {
      name                       = rule.key
      priority                   = rule.value.priority
      direction                  = "Inbound"
      access                     = rule.value.allow ? "Allow" : "Deny"
      protocol                   = "Tcp"
      source_port_range          = "*"
      destination_port_range     = tostring(rule.value.port)
      source_address_prefix      = "VirtualNetwork"
      destination_address_prefix = "*"
    }
  }
}

resource "azurerm_subnet_network_security_group_association" "pe" {
  subnet_id                 = module.hub.subnet_ids["pe"]
  network_security_group_id = azurerm_network_security_group.nsg.id
}

resource "azurerm_user_assigned_identity" "wl" {
  count               = var.workloads
  name                = "id-wl-${count.index}"
  location            = var.location
  resource_group_name = azurerm_resource_group.rg.name
}

resource "azurerm_key_vault" "kv" {
  name                      = local.kv_name
  location                  = var.location
  resource_group_name       = azurerm_resource_group.rg.name
  tenant_id                 = data.azurerm_client_config.current.tenant_id
  sku_name                  = "standard"
  enable_rbac_authorization = true
  public_network_access_enabled = var.env == "prod" ? false : true
}

resource "azurerm_kubernetes_cluster" "aks" {
  name                    = "aks-${local.prefix}"
  location                = var.location
  resource_group_name     = azurerm_resource_group.rg.name
  dns_prefix              = "aks"
  private_cluster_enabled = true
  oidc_issuer_enabled     = true
  workload_identity_enabled = true
  local_account_disabled  = true

  default_node_pool {
    name                 = "system"
    vm_size              = "Standard_D4ds_v5"
    vnet_subnet_id       = module.spoke["aks"].subnet_ids["nodes"]
    auto_scaling_enabled = true
    min_count            = 2
    max_count            = 4
  }
  identity {
    type = "SystemAssigned"
  }
  network_profile {
    network_plugin = "azure"
    service_cidr   = cidrsubnet("10.100.0.0/16", 8, 0)
    dns_service_ip = cidrhost(cidrsubnet("10.100.0.0/16", 8, 0), 10)
  }
  depends_on = [module.hub]
}

resource "azurerm_federated_identity_credential" "wl" {
  count               = var.workloads
  name                = "fic-${count.index}"
  resource_group_name = azurerm_resource_group.rg.name
  parent_id           = azurerm_user_assigned_identity.wl[count.index].id
  issuer              = azurerm_kubernetes_cluster.aks.oidc_issuer_url
  subject             = "system:serviceaccount:wl:wl-${count.index}"
  audience            = ["api://AzureADTokenExchange"]
}

resource "azurerm_role_assignment" "secrets" {
  count                = var.workloads
  scope                = azurerm_key_vault.kv.id
  role_definition_name = "Key Vault Secrets User"
  principal_id         = azurerm_user_assigned_identity.wl[count.index].principal_id
}

resource "azurerm_role_assignment" "kubelet_acr" {
  scope                = azurerm_resource_group.rg.id
  role_definition_name = "AcrPull"
  principal_id         = azurerm_kubernetes_cluster.aks.kubelet_identity[0].object_id
}

resource "azurerm_log_analytics_workspace" "law" {
  name                = "law"
  location            = var.location
  resource_group_name = azurerm_resource_group.rg.name
}

resource "azurerm_monitor_action_group" "ag" {
  name                = "ag"
  resource_group_name = azurerm_resource_group.rg.name
  short_name          = "ag"
}

resource "random_string" "suffix" {
  length = 6
}

resource "azurerm_storage_account" "sa" {
  name                     = "st${random_string.suffix.result}"
  resource_group_name      = azurerm_resource_group.rg.name
  location                 = var.location
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_network_interface" "ext" {
  name                = "nic-ext"
  location            = var.location
  resource_group_name = azurerm_resource_group.rg.name
  ip_configuration {
    name                          = "ipconfig"
    subnet_id                     = data.azurerm_subnet.external.id
    private_ip_address_allocation = "Dynamic"
  }
}

output "spoke_ids" {
  value = [for s in module.spoke : s.id]
}

output "all_subnets" {
  value = flatten([module.hub.subnet_names, values(module.spoke)[*].subnet_names])
}

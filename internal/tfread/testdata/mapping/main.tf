# Every mapped type the public configurations do not declare, in azurerm
# 4.x form (written for privaks' tests).
locals {
  rg  = "rg-map"
  loc = "canadacentral"
}

resource "azurerm_virtual_network" "hub" {
  name                = "vnet-hub"
  location            = local.loc
  resource_group_name = local.rg
  address_space       = ["10.0.0.0/22"]
  dns_servers         = ["10.0.0.4"]
  subnet {
    name             = "AzureFirewallSubnet"
    address_prefixes = ["10.0.0.0/26"]
  }
  subnet {
    name             = "snet-app"
    address_prefixes = ["10.0.1.0/24"]
    security_group   = azurerm_network_security_group.app.id
    route_table_id   = azurerm_route_table.rt.id
  }
}

resource "azurerm_virtual_network_dns_servers" "hub" {
  virtual_network_id = azurerm_virtual_network.hub.id
  dns_servers        = ["10.0.0.4"]
}

resource "azurerm_subnet" "dns_in" {
  name                            = "snet-dns-in"
  resource_group_name             = local.rg
  virtual_network_name            = azurerm_virtual_network.hub.name
  address_prefixes                = ["10.0.2.0/28"]
  default_outbound_access_enabled = false
  delegation {
    name = "resolver"
    service_delegation {
      name    = "Microsoft.Network/dnsResolvers"
      actions = ["Microsoft.Network/virtualNetworks/subnets/join/action"]
    }
  }
}

resource "azurerm_subnet" "dns_out" {
  name                              = "snet-dns-out"
  resource_group_name               = local.rg
  virtual_network_name              = azurerm_virtual_network.hub.name
  address_prefixes                  = ["10.0.2.16/28"]
  private_endpoint_network_policies = "Enabled"
  service_endpoints                 = ["Microsoft.Storage"]
}

resource "azurerm_network_security_group" "app" {
  name                = "nsg-app"
  location            = local.loc
  resource_group_name = local.rg
}

resource "azurerm_network_security_rule" "https" {
  name                        = "https"
  resource_group_name         = local.rg
  network_security_group_name = azurerm_network_security_group.app.name
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_ranges     = ["443", "8443"]
  source_address_prefixes     = ["10.1.0.0/16"]
  destination_address_prefix  = "*"
  description                 = "https"
}

resource "azurerm_route_table" "rt" {
  name                          = "rt-app"
  location                      = local.loc
  resource_group_name           = local.rg
  bgp_route_propagation_enabled = false
  route {
    name                   = "default"
    address_prefix         = "0.0.0.0/0"
    next_hop_type          = "VirtualAppliance"
    next_hop_in_ip_address = "10.0.0.4"
  }
}

resource "azurerm_route" "onprem" {
  name                = "onprem"
  resource_group_name = local.rg
  route_table_name    = azurerm_route_table.rt.name
  address_prefix      = "192.168.0.0/16"
  next_hop_type       = "VirtualNetworkGateway"
}

resource "azurerm_public_ip" "fw" {
  name                = "pip-fw"
  location            = local.loc
  resource_group_name = local.rg
  allocation_method   = "Static"
  sku                 = "Standard"
  sku_tier            = "Regional"
  ip_version          = "IPv4"
  zones               = ["1", "2", "3"]
}

resource "azurerm_nat_gateway" "ng" {
  name                    = "ng"
  location                = local.loc
  resource_group_name     = local.rg
  sku_name                = "Standard"
  idle_timeout_in_minutes = 10
  zones                   = ["1"]
}

resource "azurerm_nat_gateway_public_ip_association" "ng" {
  nat_gateway_id       = azurerm_nat_gateway.ng.id
  public_ip_address_id = azurerm_public_ip.fw.id
}

resource "azurerm_subnet_nat_gateway_association" "dns_out" {
  subnet_id      = azurerm_subnet.dns_out.id
  nat_gateway_id = azurerm_nat_gateway.ng.id
}

resource "azurerm_subnet_route_table_association" "dns_out" {
  subnet_id      = azurerm_subnet.dns_out.id
  route_table_id = azurerm_route_table.rt.id
}

resource "azurerm_firewall_policy" "fw" {
  name                     = "fwp"
  location                 = local.loc
  resource_group_name      = local.rg
  sku                      = "Premium"
  threat_intelligence_mode = "Deny"
  dns {
    proxy_enabled = true
    servers       = ["168.63.129.16"]
  }
}

resource "azurerm_firewall_policy_rule_collection_group" "aks" {
  name               = "aks"
  firewall_policy_id = azurerm_firewall_policy.fw.id
  priority           = 200
  application_rule_collection {
    name     = "aks-fqdn"
    priority = 100
    action   = "Allow"
    rule {
      name                  = "aks"
      source_addresses      = ["10.1.0.0/16"]
      destination_fqdn_tags = ["AzureKubernetesService"]
      protocols {
        type = "Https"
        port = 443
      }
    }
    rule {
      name              = "mcr"
      source_ip_groups  = []
      destination_fqdns = ["mcr.microsoft.com"]
      destination_urls  = []
      protocols {
        type = "Https"
        port = 443
      }
    }
  }
  network_rule_collection {
    name     = "ntp"
    priority = 200
    action   = "Allow"
    rule {
      name                  = "ntp"
      protocols             = ["UDP"]
      source_addresses      = ["10.1.0.0/16"]
      source_ip_groups      = []
      destination_addresses = ["*"]
      destination_ip_groups = []
      destination_fqdns     = []
      destination_ports     = ["123"]
    }
  }
  nat_rule_collection {
    name     = "dnat"
    priority = 300
    action   = "Dnat"
    rule {
      name                = "ssh"
      protocols           = ["TCP"]
      source_addresses    = ["203.0.113.0/24"]
      destination_address = "20.0.0.1"
      destination_ports   = ["22"]
      translated_address  = "10.0.1.4"
      translated_port     = "22"
    }
  }
}

resource "azurerm_firewall" "fw" {
  name                = "fw"
  location            = local.loc
  resource_group_name = local.rg
  sku_name            = "AZFW_VNet"
  sku_tier            = "Premium"
  firewall_policy_id  = azurerm_firewall_policy.fw.id
  threat_intel_mode   = "Alert"
  zones               = ["1"]
  dns_proxy_enabled   = true
  dns_servers         = ["168.63.129.16"]
  ip_configuration {
    name                 = "ipconfig"
    subnet_id            = "${azurerm_virtual_network.hub.id}/subnets/AzureFirewallSubnet"
    public_ip_address_id = azurerm_public_ip.fw.id
  }
}

resource "azurerm_firewall_network_rule_collection" "classic" {
  name                = "classic-net"
  azure_firewall_name = azurerm_firewall.fw.name
  resource_group_name = local.rg
  priority            = 100
  action              = "Allow"
  rule {
    name                  = "dns"
    source_addresses      = ["10.0.0.0/8"]
    destination_addresses = ["168.63.129.16"]
    destination_ports     = ["53"]
    destination_fqdns     = []
    protocols             = ["UDP"]
  }
}

resource "azurerm_firewall_application_rule_collection" "classic" {
  name                = "classic-app"
  azure_firewall_name = azurerm_firewall.fw.name
  resource_group_name = local.rg
  priority            = 200
  action              = "Allow"
  rule {
    name             = "ubuntu"
    source_addresses = ["10.0.0.0/8"]
    target_fqdns     = ["*.ubuntu.com"]
    fqdn_tags        = []
    protocol {
      type = "Http"
      port = 80
    }
  }
}

resource "azurerm_private_dns_resolver" "r" {
  name                = "dnspr"
  location            = local.loc
  resource_group_name = local.rg
  virtual_network_id  = azurerm_virtual_network.hub.id
}

resource "azurerm_private_dns_resolver_inbound_endpoint" "in" {
  name                    = "in"
  location                = local.loc
  private_dns_resolver_id = azurerm_private_dns_resolver.r.id
  ip_configurations {
    subnet_id                    = azurerm_subnet.dns_in.id
    private_ip_allocation_method = "Static"
    private_ip_address           = "10.0.2.4"
  }
}

resource "azurerm_private_dns_resolver_outbound_endpoint" "out" {
  name                    = "out"
  location                = local.loc
  private_dns_resolver_id = azurerm_private_dns_resolver.r.id
  subnet_id               = azurerm_subnet.dns_out.id
}

resource "azurerm_private_dns_resolver_dns_forwarding_ruleset" "rs" {
  name                                       = "rs"
  location                                   = local.loc
  resource_group_name                        = local.rg
  private_dns_resolver_outbound_endpoint_ids = [azurerm_private_dns_resolver_outbound_endpoint.out.id]
}

resource "azurerm_private_dns_resolver_forwarding_rule" "corp" {
  name                      = "corp"
  dns_forwarding_ruleset_id = azurerm_private_dns_resolver_dns_forwarding_ruleset.rs.id
  domain_name               = "corp.example."
  enabled                   = true
  target_dns_servers {
    ip_address = "192.168.0.10"
    port       = 53
  }
}

resource "azurerm_private_dns_resolver_virtual_network_link" "hub" {
  name                      = "hub"
  dns_forwarding_ruleset_id = azurerm_private_dns_resolver_dns_forwarding_ruleset.rs.id
  virtual_network_id        = azurerm_virtual_network.hub.id
}

resource "azurerm_private_dns_zone" "app" {
  name                = "app.internal"
  resource_group_name = local.rg
}

resource "azurerm_private_dns_zone_virtual_network_link" "app" {
  name                  = "link-hub"
  private_dns_zone_id   = azurerm_private_dns_zone.app.id
  virtual_network_id    = azurerm_virtual_network.hub.id
  registration_enabled  = true
  resolution_policy     = "NxDomainRedirect"
}

resource "azurerm_private_dns_a_record" "web" {
  name                = "web"
  zone_name           = azurerm_private_dns_zone.app.name
  resource_group_name = local.rg
  ttl                 = 300
  records             = ["10.0.1.10"]
}

resource "azurerm_private_dns_cname_record" "www" {
  name                = "www"
  private_dns_zone_id = azurerm_private_dns_zone.app.id
  ttl                 = 300
  record              = "web.app.internal"
}

resource "azurerm_network_interface" "vm" {
  name                           = "nic-vm"
  location                       = local.loc
  resource_group_name            = local.rg
  ip_forwarding_enabled          = true
  accelerated_networking_enabled = true
  dns_servers                    = ["10.0.2.4"]
  ip_configuration {
    name                          = "ipconfig"
    subnet_id                     = "${azurerm_virtual_network.hub.id}/subnets/snet-app"
    private_ip_address_allocation = "Static"
    private_ip_address            = "10.0.1.10"
    primary                       = true
  }
}

resource "azurerm_network_interface_security_group_association" "vm" {
  network_interface_id      = azurerm_network_interface.vm.id
  network_security_group_id = azurerm_network_security_group.app.id
}

resource "azurerm_windows_virtual_machine" "vm" {
  name                  = "vm-win"
  computer_name         = "vmwin"
  location              = local.loc
  resource_group_name   = local.rg
  size                  = "Standard_B2s"
  admin_username        = "azureuser"
  admin_password        = "never-copied-P4ss!"
  network_interface_ids = [azurerm_network_interface.vm.id]
  provision_vm_agent    = true
  zone                  = "1"
  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Standard_LRS"
  }
  source_image_reference {
    publisher = "MicrosoftWindowsServer"
    offer     = "WindowsServer"
    sku       = "2022-datacenter"
    version   = "latest"
  }
  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_linux_virtual_machine_scale_set" "agents" {
  name                            = "vmss-agents"
  location                        = local.loc
  resource_group_name             = local.rg
  sku                             = "Standard_B2s"
  instances                       = 2
  admin_username                  = "azureuser"
  computer_name_prefix            = "agent"
  disable_password_authentication = true
  custom_data                     = base64encode("#cloud-config\n")
  zones                           = ["1", "2"]
  admin_ssh_key {
    username   = "azureuser"
    public_key = "ssh-rsa AAAA"
  }
  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Standard_LRS"
  }
  network_interface {
    name                 = "nic"
    primary              = true
    enable_ip_forwarding = false
    dns_servers          = ["10.0.2.4"]
    ip_configuration {
      name      = "ipconfig"
      primary   = true
      subnet_id = "${azurerm_virtual_network.hub.id}/subnets/snet-app"
    }
  }
  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_windows_virtual_machine_scale_set" "win" {
  name                 = "vmss-win"
  location             = local.loc
  resource_group_name  = local.rg
  sku                  = "Standard_B2s"
  instances            = 1
  admin_username       = "azureuser"
  admin_password       = "never-copied-P4ss!"
  computer_name_prefix = "win"
  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Standard_LRS"
  }
  network_interface {
    name    = "nic"
    primary = true
    ip_configuration {
      name      = "ipconfig"
      primary   = true
      subnet_id = "${azurerm_virtual_network.hub.id}/subnets/snet-app"
    }
  }
}

resource "azurerm_key_vault" "kv" {
  name                          = "kv-map"
  location                      = local.loc
  resource_group_name           = local.rg
  tenant_id                     = "00000000-0000-0000-0000-000000000000"
  sku_name                      = "premium"
  rbac_authorization_enabled    = false
  public_network_access_enabled = false
  purge_protection_enabled      = true
  soft_delete_retention_days    = 7
  enabled_for_deployment        = false
  enabled_for_disk_encryption   = true
  enabled_for_template_deployment = false
  network_acls {
    default_action             = "Deny"
    bypass                     = "AzureServices"
    ip_rules                   = []
    virtual_network_subnet_ids = [azurerm_subnet.dns_out.id]
  }
  access_policy {
    tenant_id               = "00000000-0000-0000-0000-000000000000"
    object_id               = azurerm_windows_virtual_machine.vm.identity[0].principal_id
    secret_permissions      = ["Get", "List"]
    key_permissions         = []
    certificate_permissions = []
    storage_permissions     = []
  }
}

resource "azurerm_key_vault_access_policy" "vmss" {
  key_vault_id            = azurerm_key_vault.kv.id
  tenant_id               = "00000000-0000-0000-0000-000000000000"
  object_id               = azurerm_linux_virtual_machine_scale_set.agents.identity[0].principal_id
  application_id          = null
  secret_permissions      = ["Get"]
  key_permissions         = []
  certificate_permissions = []
  storage_permissions     = []
}

resource "azurerm_key_vault_secret" "s" {
  name         = "db-password"
  key_vault_id = azurerm_key_vault.kv.id
  value        = "never-copied"
  content_type = "text/plain"
}

resource "azurerm_storage_account" "sa" {
  name                            = "stmap"
  resource_group_name             = local.rg
  location                        = local.loc
  account_kind                    = "StorageV2"
  account_tier                    = "Standard"
  account_replication_type        = "ZRS"
  public_network_access_enabled   = false
  allow_nested_items_to_be_public = false
  shared_access_key_enabled       = false
  https_traffic_only_enabled      = true
  min_tls_version                 = "TLS1_2"
  is_hns_enabled                  = false
}

resource "azurerm_storage_account_network_rules" "sa" {
  storage_account_id         = azurerm_storage_account.sa.id
  default_action             = "Deny"
  bypass                     = ["AzureServices"]
  ip_rules                   = []
  virtual_network_subnet_ids = [azurerm_subnet.dns_out.id]
}

resource "azurerm_web_application_firewall_policy" "waf" {
  name                = "waf"
  location            = local.loc
  resource_group_name = local.rg
  policy_settings {
    enabled            = true
    mode               = "Prevention"
    request_body_check = true
  }
  managed_rules {
    managed_rule_set {
      type    = "Microsoft_DefaultRuleSet"
      version = "2.1"
    }
  }
}

resource "azurerm_application_gateway" "agw" {
  name                = "agw"
  location            = local.loc
  resource_group_name = local.rg
  firewall_policy_id  = azurerm_web_application_firewall_policy.waf.id
  zones               = ["1", "2"]
  sku {
    name     = "WAF_v2"
    tier     = "WAF_v2"
    capacity = 2
  }
  gateway_ip_configuration {
    name      = "gw"
    subnet_id = "${azurerm_virtual_network.hub.id}/subnets/snet-app"
  }
  frontend_ip_configuration {
    name                          = "fe-private"
    subnet_id                     = "${azurerm_virtual_network.hub.id}/subnets/snet-app"
    private_ip_address            = "10.0.1.254"
    private_ip_address_allocation = "Static"
  }
  frontend_port {
    name = "p80"
    port = 80
  }
  backend_address_pool {
    name         = "pool"
    fqdns        = ["web.app.internal"]
    ip_addresses = []
  }
  backend_http_settings {
    name                  = "http"
    port                  = 80
    protocol              = "Http"
    cookie_based_affinity = "Disabled"
    request_timeout       = 30
  }
  http_listener {
    name                           = "l80"
    frontend_ip_configuration_name = "fe-private"
    frontend_port_name             = "p80"
    protocol                       = "Http"
    host_name                      = "web.app.internal"
  }
  request_routing_rule {
    name                       = "r"
    rule_type                  = "Basic"
    http_listener_name         = "l80"
    backend_address_pool_name  = "pool"
    backend_http_settings_name = "http"
    priority                   = 10
  }
}

resource "azapi_resource" "subnet_pe" {
  type      = "Microsoft.Network/virtualNetworks/subnets@2024-05-01"
  name      = "snet-pe"
  parent_id = azurerm_virtual_network.hub.id
  body = {
    properties = {
      addressPrefix                  = "10.0.3.0/24"
      privateEndpointNetworkPolicies = "Disabled"
    }
  }
}

resource "azapi_resource" "acr" {
  type      = "Microsoft.ContainerRegistry/registries@2023-07-01"
  name      = "acrmap"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-map"
  location  = local.loc
  body = jsonencode({
    sku = { name = "Premium" }
    properties = {
      publicNetworkAccess = "Disabled"
      adminUserEnabled    = false
    }
  })
}

resource "azapi_resource" "acr_pull" {
  type      = "Microsoft.Authorization/roleAssignments@2022-04-01"
  name      = "7e0e5a0e-0000-4000-8000-000000000001"
  parent_id = azapi_resource.acr.id
  body = {
    properties = {
      roleDefinitionId = "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d"
      principalId      = azurerm_linux_virtual_machine_scale_set.agents.identity[0].principal_id
    }
  }
}

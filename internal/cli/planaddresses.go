package cli

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/privaks/privaks/internal/addrplan"
)

type planAddressesFlags struct {
	base     string
	onPrem   []string
	pools    string
	maxSurge int
	cni      string
	service  string
	output   string
}

func newPlanAddressesCmd(s Streams) *cobra.Command {
	var f planAddressesFlags
	cmd := &cobra.Command{
		Use:   "plan-addresses",
		Short: "Propose hub and spoke address spaces and subnets, with the arithmetic",
		Long: `plan-addresses carves a hub and an AKS spoke from --base, avoiding the on-premises
ranges, the service CIDR and the ranges AKS reserves. The node subnet is sized from the
node pools: Azure CNI reserves (max nodes + surge) × (maxPods + 1) addresses, overlay
one per node plus a pod CIDR. It prints each subnet's need, formula and size, then the
network: and aks: blocks (ranges and the node pools they were sized for) to paste into
privaks.yaml: every value is one the spec accepts.`,
		Example: `  privaks plan-addresses
  privaks plan-addresses --base 10.20.0.0/16 --on-prem 10.0.0.0/12 --pools system:3-5:30,user:2-20:30
  privaks plan-addresses --cni overlay --pools system:3-5:110,user:2-100:110
  privaks plan-addresses --on-prem 10.0.0.0/12 -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkOutput(f.output); err != nil {
				return err
			}
			in, err := f.input()
			if err != nil {
				return badInput(err)
			}
			p, err := addrplan.Make(in)
			if err != nil {
				return badInput(err)
			}
			if f.output == "json" {
				return writeAddrPlanJSON(s.Out, &p)
			}
			if err := p.WriteArithmetic(s.Out); err != nil {
				return err
			}
			fmt.Fprintln(s.Out)
			return p.WriteYAML(s.Out)
		},
	}
	cmd.Flags().StringVar(&f.base, "base", "10.0.0.0/8", "range to carve the VNets from")
	stringsVar(cmd.Flags(), &f.onPrem, true, "on-prem", "on-premises CIDRs to avoid (repeatable or comma-separated)")
	cmd.Flags().StringVar(&f.pools, "pools", "system:3-5:30,user:2-5:30", "node pools as name:min-max:maxPods, comma-separated")
	cmd.Flags().IntVar(&f.maxSurge, "max-surge", 1, "extra nodes per pool during upgrades")
	cmd.Flags().StringVar(&f.cni, "cni", "azure", "azure (pods in the node subnet) or overlay")
	addOutputFlag(cmd, &f.output)
	cmd.Flags().StringVar(&f.service, "service-cidr", "", "Kubernetes service CIDR (default: the first free of 172.16.0.0/16-172.29.0.0/16)")
	return cmd
}

func (f *planAddressesFlags) input() (addrplan.Input, error) {
	in := addrplan.Input{MaxSurge: f.maxSurge, CNI: f.cni}
	var err error
	if in.Base, err = netip.ParsePrefix(f.base); err != nil {
		return in, fmt.Errorf("parse --base %q: %w", f.base, err)
	}
	in.Base = in.Base.Masked()
	for _, s := range f.onPrem {
		p, err := netip.ParsePrefix(strings.TrimSpace(s))
		if err != nil {
			return in, fmt.Errorf("parse --on-prem %q: %w", s, err)
		}
		in.OnPrem = append(in.OnPrem, p.Masked())
	}
	if f.service != "" {
		if in.ServiceCIDR, err = netip.ParsePrefix(f.service); err != nil {
			return in, fmt.Errorf("parse --service-cidr %q: %w", f.service, err)
		}
	}
	for _, spec := range strings.Split(f.pools, ",") {
		p, err := parsePool(strings.TrimSpace(spec))
		if err != nil {
			return in, err
		}
		in.Pools = append(in.Pools, p)
	}
	return in, nil
}

// parsePool reads name:min-max:maxPods.
func parsePool(s string) (addrplan.Pool, error) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return addrplan.Pool{}, fmt.Errorf("parse pool %q: want name:min-max:maxPods", s)
	}
	lo, hi, ok := strings.Cut(parts[1], "-")
	if !ok {
		hi = lo
	}
	var nums [3]int
	for i, x := range []string{lo, hi, parts[2]} {
		n, err := strconv.Atoi(x)
		if err != nil {
			return addrplan.Pool{}, fmt.Errorf("parse pool %q: %w", s, err)
		}
		nums[i] = n
	}
	return addrplan.Pool{Name: parts[0], Min: nums[0], Max: nums[1], MaxPods: nums[2]}, nil
}

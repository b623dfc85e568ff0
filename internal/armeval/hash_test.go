package armeval

import "testing"

func TestUniqueString(t *testing.T) {
	// Vectors from the self-test of the public uniquestring.sh port of ARM's
	// uniqueString ("verified against Bicep uniqueString() output").
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"test"}, "rbgf3xv4ufgzg"},
		{[]string{"hello", "world"}, "a7wkljktk6wne"},
		{[]string{"abc"}, "cgtzqvhu4i23s"},
		{[]string{"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/my-rg"}, "bmg7c6xu4tw46"},
		{[]string{"foo", "bar", "baz"}, "xzi4ioaxtmth4"},
		// From a public C# test (Modm ArmFunctionsTests, "valueFromArmTemplate":
		// the value an ARM deployment output for this VM ID). Another revision
		// of that test file carries a different value for the same input.
		{[]string{"/subscriptions/31e9f9a0-9fd2-4294-a0a3-0101246d9700/resourceGroups/rg-modm201-20230913120256/providers/Microsoft.Compute/virtualMachines/bobjacmodm201"}, "yvjxno3je5on2"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := uniqueString(tt.args...); got != tt.want {
				t.Errorf("uniqueString(%q) = %q, want %q", tt.args, got, tt.want)
			}
		})
	}
}

func TestUUIDV5(t *testing.T) {
	// RFC 9562 appendix A.4: UUIDv5 of "www.example.com" in the DNS namespace.
	dns := [16]byte{0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	if got, want := uuidV5(dns, "www.example.com"), "2ed6657d-e927-568b-95e1-2665a8aea6a2"; got != want {
		t.Errorf("uuidV5(dns, www.example.com) = %s, want %s", got, want)
	}
}

func TestGuidShape(t *testing.T) {
	a, b := guid("a", "b"), guid("a-b")
	if a != b {
		t.Errorf("guid joins arguments with '-': guid(a, b) = %s, guid(a-b) = %s", a, b)
	}
	if guid("a", "b") == guid("ab") {
		t.Errorf("guid(a, b) must differ from guid(ab)")
	}
	if a[14] != '5' || (a[19] != '8' && a[19] != '9' && a[19] != 'a' && a[19] != 'b') {
		t.Errorf("guid %s is not an RFC 4122 version 5 UUID", a)
	}
}

//! The provisioning document of the provisioning benches (`cp_verify`, `allocations`): an
//! operator's MMS document (application, proxy, NAP with credentials).

use mms_codec::provisioning::{encode_wbxml, parse_xml};

/// An operator's MMS document, padded with a provider name to `target` octets of WBXML.
pub fn document(target: usize) -> Vec<u8> {
    let mut name = String::from("Operator MMS");
    loop {
        let xml = format!(
            r#"<wap-provisioningdoc version="1.1">
  <characteristic type="BOOTSTRAP"><parm name="NAME" value="{name}"/></characteristic>
  <characteristic type="APPLICATION">
    <parm name="APPID" value="w4"/><parm name="NAME" value="{name}"/>
    <parm name="TO-PROXY" value="MPROXY"/>
    <parm name="ADDR" value="http://mmsc.operator.example:8002/mms"/>
    <parm name="TO-NAPID" value="NAP_MMS"/>
  </characteristic>
  <characteristic type="PXLOGICAL"><parm name="PROXY-ID" value="MPROXY"/><parm name="NAME" value="MMS proxy"/>
    <characteristic type="PXPHYSICAL"><parm name="PHYSICAL-PROXY-ID" value="PROXY1"/><parm name="PXADDR" value="10.11.12.13"/>
      <parm name="PXADDRTYPE" value="IPV4"/><parm name="TO-NAPID" value="NAP_MMS"/>
      <characteristic type="PORT"><parm name="PORTNBR" value="8080"/></characteristic>
    </characteristic>
  </characteristic>
  <characteristic type="NAPDEF">
    <parm name="NAPID" value="NAP_MMS"/><parm name="NAME" value="{name}"/>
    <parm name="BEARER" value="GSM-GPRS"/>
    <parm name="NAP-ADDRESS" value="mms.operator.example"/>
    <parm name="NAP-ADDRTYPE" value="APN"/>
    <characteristic type="NAPAUTHINFO">
      <parm name="AUTHTYPE" value="PAP"/><parm name="AUTHNAME" value="mms"/><parm name="AUTHSECRET" value="s3cr3t-nap-pw"/>
    </characteristic>
  </characteristic>
</wap-provisioningdoc>"#
        );
        let body = encode_wbxml(&parse_xml(&xml).unwrap());
        if body.len() >= target {
            return body;
        }
        name.push('x');
    }
}
